namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>One kind of call beside the debits (a hold, its settle or release, a payment): how many were answered, how, and how fast.</summary>
public sealed class OperationStats
{
    public LatencyHistogram Latency { get; } = new();
    public long Approved;
    public long Declined;

    public void Add(OperationStats other)
    {
        Latency.Add(other.Latency);
        Approved += other.Approved;
        Declined += other.Declined;
    }
}
