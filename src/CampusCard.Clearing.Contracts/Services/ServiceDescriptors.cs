using CampusCard.Clearing.Grpc;

namespace CampusCard.Clearing.Contracts.V1;

/// <summary>The methods of campuscard.clearing.v1.Terminal.</summary>
public static class TerminalMethods
{
    public const string ServiceName = "campuscard.clearing.v1.Terminal";
    public static readonly Method<DebitRequest, DebitReply> Debit = ProtoMethods.Unary<DebitRequest, DebitReply>(ServiceName, "Debit");
    public static readonly Method<ReverseRequest, ReverseReply> Reverse = ProtoMethods.Unary<ReverseRequest, ReverseReply>(ServiceName, "Reverse");
    public static readonly Method<GetBalanceRequest, GetBalanceReply> GetBalance = ProtoMethods.Unary<GetBalanceRequest, GetBalanceReply>(ServiceName, "GetBalance");
    public static readonly Method<DebitBatchRequest, DebitBatchReply> DebitBatch = ProtoMethods.Unary<DebitBatchRequest, DebitBatchReply>(ServiceName, "DebitBatch");
}

/// <summary>The methods of campuscard.clearing.v1.Funding.</summary>
public static class FundingMethods
{
    public const string ServiceName = "campuscard.clearing.v1.Funding";
    public static readonly Method<QuotaTopUpRequest, FundingReply> QuotaTopUp = ProtoMethods.Unary<QuotaTopUpRequest, FundingReply>(ServiceName, "QuotaTopUp");
    public static readonly Method<CreditRequest, FundingReply> Credit = ProtoMethods.Unary<CreditRequest, FundingReply>(ServiceName, "Credit");
    public static readonly Method<TransferRequest, FundingReply> Transfer = ProtoMethods.Unary<TransferRequest, FundingReply>(ServiceName, "Transfer");
}

/// <summary>The methods of campuscard.clearing.v1.Cards.</summary>
public static class CardsMethods
{
    public const string ServiceName = "campuscard.clearing.v1.Cards";
    public static readonly Method<OpenAccountRequest, Account> OpenAccount = ProtoMethods.Unary<OpenAccountRequest, Account>(ServiceName, "OpenAccount");
    public static readonly Method<GetAccountRequest, Account> GetAccount = ProtoMethods.Unary<GetAccountRequest, Account>(ServiceName, "GetAccount");
    public static readonly Method<OpenMerchantRequest, Merchant> OpenMerchant = ProtoMethods.Unary<OpenMerchantRequest, Merchant>(ServiceName, "OpenMerchant");
}
