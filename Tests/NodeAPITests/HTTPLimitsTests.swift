import CivicCommandLine
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NodeAPI
import Testing

/// Issue 16, finding 7: with no header, body or idle timeout, 400 connections holding unfinished request
/// heads stayed open, and four unfinished 60 MiB batch bodies took the node's memory from 132 to 383 MiB.
/// Attackers here connect from other loopback addresses (127.0.0.2, 127.0.0.3) than the honest client
/// (127.0.0.1), as distinct machines would.
extension NodeAPITests {
    /// Short limits so the tests run in seconds.
    static let tightLimits: HTTPLimits = {
        var limits = HTTPLimits()
        limits.idleTimeout = .seconds(1)
        limits.bodyTimeout = .seconds(2)
        limits.maximumConnectionsPerClient = 16
        limits.bodyMemoryBytes = 64 << 20
        return limits
    }()

    @Test func slowHeadsAreCappedPerClientAndClosedWhileOthersAreServed() async throws {
        let connections = ConnectionCounter(maximumPerClient: Self.tightLimits.maximumConnectionsPerClient)
        try await withNode(http: Self.tightLimits, connections: connections) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            let descriptorsBefore = Self.openDescriptors()
            // 40 connections that start a request head and never finish it.
            var slow: [RawClient] = []
            for _ in 0..<40 {
                let client = try await RawClient.connect(port: port, from: "127.0.0.2")
                // try?: a connection past the per-client cap is closed at once, so writing to it may fail.
                try? await client.send("POST /v1/txs HTTP/1.1\r\nHost: node\r\nContent-Type: application/")
                slow.append(client)
            }
            try await Task.sleep(nanoseconds: 200_000_000)
            #expect(connections.connections(from: "127.0.0.2") == 16)
            // Another client is served meanwhile.
            #expect(try await APIRequest.send("GET", base + "/v1/status", timeout: 5).status == 200)
            // Within the idle timeout (1 s) and some slack, the server has closed every one of them.
            for client in slow { #expect(await client.closedByServer(within: .seconds(5))) }
            #expect(connections.connections(from: "127.0.0.2") == 0)
            for client in slow { await client.close() }
            let descriptorsAfter = Self.openDescriptors()
            #expect(descriptorsAfter <= descriptorsBefore + 4, "fds \(descriptorsBefore) → \(descriptorsAfter)")
        }
    }

    @Test func unfinishedBodiesHoldBoundedMemoryAndAreClosed() async throws {
        let budget = BodyBudget(total: Self.tightLimits.bodyMemoryBytes)
        try await withNode(http: Self.tightLimits, bodyBudget: budget) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            // Four batch bodies that declare 15 MiB, send 6 MiB each, and stall.
            let chunk = String(repeating: "a", count: 6 << 20)
            var stalled: [RawClient] = []
            for _ in 0..<4 {
                let client = try await RawClient.connect(port: port, from: "127.0.0.3")
                try await client.send(
                    "POST /v1/txs/batch HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(15 << 20)\r\n\r\n" + chunk
                )
                stalled.append(client)
            }
            try await Task.sleep(nanoseconds: 300_000_000)
            // One client holds at most a quarter of the budget; those past it were answered 503 busy.
            #expect(budget.used <= budget.perClient, "\(budget.used) bytes held")
            #expect(try await APIRequest.send("GET", base + "/v1/status", timeout: 5).status == 200)
            for client in stalled { #expect(await client.closedByServer(within: .seconds(5))) }
            let answers = await stalled.asyncMap { await $0.received() }
            #expect(answers.contains { $0.contains("\"busy\"") }, "no request was refused as busy")
            #expect(budget.used == 0)
            for client in stalled { await client.close() }
        }
    }

    @Test func aTricklingBodyTimesOut() async throws {
        try await withNode(http: Self.tightLimits) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            let client = try await RawClient.connect(port: port, from: "127.0.0.2")
            try await client.send(
                "POST /v1/txs HTTP/1.1\r\nHost: node\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1000\r\n\r\n"
            )
            // A byte every 200 ms never lets the idle timeout (1 s) fire; the body timeout (2 s) does.
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(6), await !client.received().contains("HTTP/1.1") {
                try? await client.send("x")  // try?: the server may close in the meantime, which ends the loop
                try await Task.sleep(nanoseconds: 200_000_000)
            }
            let answer = await client.received()
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(200))")
            #expect(answer.contains("body_timeout"))
            await client.close()
        }
    }

    /// Open file descriptors of this process (the test and the node's server share it).
    static func openDescriptors() -> Int {
        // try?: without /proc there is nothing to count; the comparisons above then hold trivially.
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}

/// A TCP client that writes raw bytes and keeps what it receives, bound to a chosen source address.
final class RawClient: Sendable {
    private let channel: Channel
    private let collector: Collector

    private init(channel: Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int, from source: String) async throws -> RawClient {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in channel.pipeline.addHandler(collector) }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawClient(channel: channel, collector: collector)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Everything received so far, as text.
    func received() async -> String { collector.text }

    /// True once the server has closed the connection, waiting at most `limit`.
    func closedByServer(within limit: Duration) async -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if !channel.isActive { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)  // try?: cancellation just ends the wait early
        }
        return !channel.isActive
    }

    func close() async {
        // try?: already closed by the server is the expected case.
        try? await channel.close()
    }

    /// Keeps the bytes a channel reads.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let bytes = NIOLockedValueBox([UInt8]())

        var text: String { String(decoding: bytes.withLockedValue { $0 }, as: UTF8.self) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLockedValue { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }
}
