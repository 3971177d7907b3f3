namespace CampusCard.Clearing.Tests.Infrastructure;

public static class MessageExtensions
{
    /// <summary>Changes a message in place and returns it, for one-line variations of a request.</summary>
    public static T With<T>(this T message, Action<T> change)
    {
        change(message);
        return message;
    }
}
