using System.Net;
using System.Net.Sockets;

namespace CampusCard.Clearing.Tests.Infrastructure;

public static class LoopbackPorts
{
    /// <summary>A loopback port no one listens on now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
