using CampusCard.Clearing.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// A test of a suite that every journal provider runs (an abstract class, a sealed class per provider). In a class
/// marked <see cref="OnSqlServerAttribute"/> it runs only when CC_SQLSERVER_CONNECTION is set, and is skipped with the
/// reason in the output otherwise. xunit 2 has no dynamic skip, and an attribute does not know the class it is
/// inherited into: the discoverer does.
/// </summary>
[XunitTestCaseDiscoverer("CampusCard.Clearing.Tests.Infrastructure.ProviderFactDiscoverer", "CampusCard.Clearing.Tests")]
public sealed class ProviderFactAttribute : FactAttribute;

/// <inheritdoc cref="ProviderFactAttribute"/>
[XunitTestCaseDiscoverer("CampusCard.Clearing.Tests.Infrastructure.ProviderTheoryDiscoverer", "CampusCard.Clearing.Tests")]
public sealed class ProviderTheoryAttribute : TheoryAttribute;

/// <summary>The provider suite in this class runs against the SQL Server of CC_SQLSERVER_CONNECTION.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OnSqlServerAttribute : Attribute;

public sealed class ProviderFactDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        ProviderSkip.Reason(method) is { } reason
            ? [ProviderSkip.Case(sink, options, method, reason)]
            : new FactDiscoverer(sink).Discover(options, method, attribute);
}

public sealed class ProviderTheoryDiscoverer(IMessageSink sink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        ProviderSkip.Reason(method) is { } reason
            ? [ProviderSkip.Case(sink, options, method, reason)]
            : new TheoryDiscoverer(sink).Discover(options, method, attribute);
}

internal static class ProviderSkip
{
    public static string? Reason(ITestMethod method) =>
        method.TestClass.Class.GetCustomAttributes(typeof(OnSqlServerAttribute)).Any() && ScratchSqlServerDatabase.ServerConnectionString is null
            ? ScratchSqlServerDatabase.SkipReason
            : null;

    public static IXunitTestCase Case(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason);
}
