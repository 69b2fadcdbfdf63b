import CivicCommandLine
import Foundation
import LedgerTestSupport
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
    /// `HTTPLimits` with these timeouts and a cap of 16 connections per client. Every wait below is for an
    /// eventual outcome (`eventually`): under a loaded machine (the whole suite runs tests in parallel) the
    /// test's own tasks may run late, the node's timers do not.
    static func limits(idle: Int64, body: Int64 = 60) -> HTTPLimits {
        var limits = HTTPLimits()
        limits.idleTimeout = .seconds(idle)
        limits.bodyTimeout = .seconds(body)
        limits.maximumConnectionsPerClient = 16
        limits.bodyMemoryBytes = 64 << 20
        return limits
    }

    @Test func aClientHoldsAtMostItsShareOfConnections() async throws {
        let connections = ConnectionCounter(maximumPerClient: 16)
        // An idle timeout of an hour: under the whole suite this test's own tasks have been seen to run minutes
        // late, and the held connections must still be there to count.
        try await withNode(http: Self.limits(idle: 3_600), connections: connections) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            var clients: [RawClient] = []
            for _ in 0..<40 {
                let client = try await RawClient.connect(port: port, from: "127.0.0.2")
                // try?: a connection past the cap is closed at once, so writing to it may fail.
                try? await client.send("POST /v1/txs HTTP/1.1\r\nHost: node\r\nContent-Type: application/")
                clients.append(client)
                #expect(connections.connections(from: "127.0.0.2") <= 16)
            }
            // The 24 past the cap are closed by the node; 16 stay.
            #expect(await eventually { clients.filter(\.isOpen).count == 16 })
            #expect(connections.connections(from: "127.0.0.2") == 16)
            // Another client is served meanwhile.
            #expect(try await APIRequest.send("GET", base + "/v1/status", timeout: 30).status == 200)
            for client in clients { await client.close() }
            #expect(await eventually { connections.connections(from: "127.0.0.2") == 0 })
        }
    }

    @Test func slowHeadsAreClosedByTheIdleTimeout() async throws {
        let connections = ConnectionCounter(maximumPerClient: 16)
        try await withNode(http: Self.limits(idle: 1), connections: connections) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            var slow: [RawClient] = []
            for _ in 0..<10 {
                let client = try await RawClient.connect(port: port, from: "127.0.0.2")
                // try?: on a slow machine the node may already have closed it (its idle timeout is 1 s).
                try? await client.send("POST /v1/txs HTTP/1.1\r\nHost: node\r\nContent-Type: application/")
                slow.append(client)
            }
            #expect(await eventually { slow.filter(\.isOpen).isEmpty })
            #expect(await eventually { connections.connections(from: "127.0.0.2") == 0 })
            for client in slow { await client.close() }
            #expect(try await APIRequest.send("GET", base + "/v1/status", timeout: 30).status == 200)
            // The node process's descriptors are counted in `AdversaryTests`, where the node is a process of its
            // own; here the test shares its process with every other test of the suite.
        }
    }

    /// Closing stalled connections is the idle timeout's work (`slowHeadsAreClosedByTheIdleTimeout`); here the
    /// timeout is long, so that even a starved test process sees the budget at work before anything closes.
    @Test func unfinishedBodiesHoldBoundedMemory() async throws {
        let limits = Self.limits(idle: 600)
        let budget = BodyBudget(total: limits.bodyMemoryBytes)
        try await withNode(http: limits, bodyBudget: budget) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            // Four batch bodies that declare 15 MiB, send 6 MiB each, and stall.
            let chunk = String(repeating: "a", count: 6 << 20)
            var stalled: [RawClient] = []
            for _ in 0..<4 {
                let client = try await RawClient.connect(port: port, from: "127.0.0.3")
                // try?: the node may close a connection it has answered 503 busy while the body is still sent.
                try? await client.send(
                    "POST /v1/txs/batch HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(15 << 20)\r\n\r\n" + chunk
                )
                stalled.append(client)
            }
            // One client holds at most a quarter of the budget: a body past it is answered 503 busy.
            var peak = 0
            let busy = await eventually {
                peak = max(peak, budget.used)
                return await stalled.asyncMap { await $0.received() }.contains { $0.contains("\"busy\"") }
            }
            #expect(busy, "no body was refused as busy")
            // Bodies go through the budget (peak above zero), and one client never holds more than its quarter.
            #expect(peak > 0 && peak <= budget.perClient, "\(peak) bytes held")
            #expect(try await APIRequest.send("GET", base + "/v1/status", timeout: 30).status == 200)
            // Gone, the stalled requests give every byte back.
            for client in stalled { await client.close() }
            #expect(await eventually { budget.used == 0 })
        }
    }

    @Test func aTricklingBodyTimesOut() async throws {
        try await withNode(http: Self.limits(idle: 2, body: 3)) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            let client = try await RawClient.connect(port: port, from: "127.0.0.2")
            try await client.send(
                "POST /v1/txs HTTP/1.1\r\nHost: node\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1000\r\n\r\n"
            )
            // A byte every 200 ms, sent from the connection's event loop: the idle timeout (2 s) never fires,
            // the body timeout (3 s) does.
            let trickle = client.trickle(every: .milliseconds(200))
            #expect(await eventually { await client.received().contains("HTTP/1.1") })
            trickle.cancel()
            let answer = await client.received()
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(200))")
            #expect(answer.contains("body_timeout"))
            await client.close()
        }
    }

    /// An answer given before the request arrived whole ends the connection: Hummingbird would otherwise read
    /// and discard the rest of the body for as long as the client trickles it (the idle timeout restarts with
    /// every byte, and the body timeout only runs while a route reads). Before `EarlyAnswerHandler`, both
    /// connections below stayed open as long as the trickle went on.
    @Test func anEarlyAnswerEndsItsConnection() async throws {
        var limits = Self.limits(idle: 30, body: 600)
        limits.earlyAnswerLinger = .milliseconds(500)
        try await withNode(http: limits) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            for (request, status) in [
                // Declared larger than any batch: 413 at once, the body unread.
                ("POST /v1/txs/batch HTTP/1.1\r\nHost: node\r\nContent-Length: \(64 << 20)\r\n\r\nxyz", "413"),
                // A body no route reads.
                ("GET /v1/status HTTP/1.1\r\nHost: node\r\nContent-Length: 100000\r\n\r\nxyz", "200"),
            ] {
                let client = try await RawClient.connect(port: port, from: "127.0.0.2")
                try await client.send(request)
                // A byte every 200 ms, from the connection's event loop: never idle long.
                let trickle = client.trickle(every: .milliseconds(200))
                #expect(await eventually { await client.received().contains("HTTP/1.1") })
                let answer = await client.received()
                #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(answer.prefix(200))")
                #expect(answer.lowercased().contains("connection: close"), "\(answer.prefix(400))")
                #expect(await eventually { !client.isOpen }, "the node closed the connection")
                trickle.cancel()
                await client.close()
            }
            // Answers to requests that arrived whole keep their connection past the linger.
            let client = try await RawClient.connect(port: port, from: "127.0.0.2")
            let whole = "GET /v1/status HTTP/1.1\r\nHost: node\r\n\r\n"
            try await client.send(whole + whole)
            #expect(await eventually { await client.received().components(separatedBy: "HTTP/1.1 200").count == 3 })
            #expect(!(await client.received().lowercased().contains("connection: close")))
            try await Task.sleep(for: .seconds(1))
            try await client.send(whole)
            #expect(await eventually { await client.received().components(separatedBy: "HTTP/1.1 200").count == 4 })
            await client.close()
        }
    }

    /// Once an answer has said `Connection: close`, nothing more on that connection is served (RFC 9112
    /// §9.6): here the rest of the early-answered body arrives within the linger, then a second request.
    /// Before, the node served the second request, and the closing connection could cut its answer off.
    @Test func nothingIsServedAfterAnEarlyAnswer() async throws {
        var limits = Self.limits(idle: 30, body: 600)
        limits.earlyAnswerLinger = .seconds(5)
        try await withNode(http: limits) { base, _, _, _ in
            let port = try #require(URLComponents(string: base)?.port)
            let client = try await RawClient.connect(port: port, from: "127.0.0.2")
            try await client.send("GET /v1/status HTTP/1.1\r\nHost: node\r\nContent-Length: 10\r\n\r\nabc")
            #expect(await eventually { await client.received().contains("HTTP/1.1 200") })
            // try?: the node may already have closed the connection on a slow machine.
            try? await client.send("defghij" + "GET /v1/accounts/00 HTTP/1.1\r\nHost: node\r\n\r\n")
            #expect(await eventually { !client.isOpen }, "closed after the linger")
            let received = await client.received()
            #expect(received.components(separatedBy: "HTTP/1.1 ").count == 2, "one answer only: \(received)")
            await client.close()
        }
    }
}
