import Foundation
import LedgerCore
import LedgerTestSupport
import NodeAPI
import Testing

/// Tools nobody here wrote, against a real `civicd` (issue 8, "outside clients"): OpenSSL's `s_client` on the
/// peer port with a member's certificate (accepted), a stranger's and none (refused with a TLS alert), and
/// `curl` on every API route with malformed, oversized and wrong-typed input (a 4xx problem document each,
/// and the node still answers).
@Suite(.serialized) struct OutsideClientTests {
    /// Runs a tool found on PATH to its end, waiting on a thread of its own. With `holdingInput`, its standard
    /// input stays open until the tool ends by itself (or, as a guard against a hang, until `Eventually`'s stall
    /// bound passes and it is terminated).
    func tool(
        _ name: String,
        _ arguments: [String],
        input: Data? = nil,
        holdingInput: Bool = false
    ) async throws -> (status: Int32, output: String) {
        try await onOwnThread { try Self.toolBlocking(name, arguments, input: input, holdingInput: holdingInput) }
    }

    static func toolBlocking(
        _ name: String,
        _ arguments: [String],
        input: Data?,
        holdingInput: Bool
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        let pipe = Pipe()
        let stdin = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = stdin
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        if holdingInput,
            ended.wait(timeout: .now() + .seconds(Int(Eventually.defaultStall.components.seconds)))
                == .timedOut
        {
            process.terminate()
        }
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func openSSLClientsAreAcceptedOnlyWithAMembersCertificate() async throws {
        let network = try await ProcessNetwork(validators: 2)
        try network.start(0)
        let home = network.directory.path
        let config = try String(contentsOfFile: home + "/node0/config.toml", encoding: .utf8)
        let p2p = try #require(
            config.split(separator: "\n").first { $0.hasPrefix("listen = \"127.0.0.1:") }.map {
                String($0.dropFirst("listen = \"".count).dropLast())
            }
        )
        let stranger = try await tool(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                home + "/stranger.key", "-out", home + "/stranger.crt", "-subj", "/CN=stranger", "-days", "1",
            ]
        )
        #expect(stranger.status == 0, "\(stranger.output)")
        func connect(_ certificate: [String]) async throws -> (status: Int32, output: String) {
            var result: (status: Int32, output: String) = (-1, "")
            // The node may still be starting: retry while the port refuses connections.
            for _ in 0..<50 {
                // s_client reads standard input until it ends, so it stays open until the node has given its
                // verdict and closed the connection: a TLS alert for a refused certificate, and for a member the
                // handshake timeout (it never sends a hello). A fixed 1.5 s was too short on a loaded machine.
                result = try await tool(
                    "openssl",
                    ["s_client", "-connect", p2p, "-tls1_3", "-brief"] + certificate,
                    holdingInput: true
                )
                if !result.output.contains("Connection refused") { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            return result
        }
        let member = try await connect(["-cert", home + "/node1/keys/tls.crt", "-key", home + "/node1/keys/tls.key"])
        #expect(member.status == 0 && member.output.contains("CONNECTION ESTABLISHED"), "\(member.output)")
        #expect(!member.output.contains("alert"), "\(member.output)")
        let foreign = try await connect(["-cert", home + "/stranger.crt", "-key", home + "/stranger.key"])
        #expect(foreign.status != 0 && foreign.output.contains("alert certificate unknown"), "\(foreign.output)")
        let anonymous = try await connect([])
        #expect(anonymous.status != 0 && anonymous.output.contains("alert certificate required"), "\(anonymous.output)")
        let log = try String(contentsOfFile: network.logPath(0), encoding: .utf8)
        #expect(log.contains("is not a member node's"), "the node logs the stranger's refusal")
    }

    @Test func curlOnEveryRouteGetsProblemDocumentsAndTheNodeCarriesOn() async throws {
        let network = try await ProcessNetwork(validators: 1)
        try network.start(0)
        let up = await eventually { await network.height(0) != nil }
        #expect(up, "the node did not start")
        let base = network.apis[0]
        let scratch = network.directory.path
        let oversized = scratch + "/oversized.bin"
        #expect(FileManager.default.createFile(atPath: oversized, contents: Data(count: 3 << 20)))
        // Bytes a command-line argument cannot carry (a NUL ends it) go through files.
        let shortLength = scratch + "/short-length.bin"
        #expect(FileManager.default.createFile(atPath: shortLength, contents: Data([0, 0, 1])))
        let empty = scratch + "/empty.bin"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        // Path parameters no route accepts, and query strings of the wrong type.
        let badSegments = ["zz", "-1", "%00", String(repeating: "9", count: 4_000), "..%2F..%2Fetc"]
        var requests: [(method: String, path: String, body: [String])] = []
        for endpoint in NodeAPI.endpoints where endpoint.method == .get {
            guard endpoint.path.contains("{") else { continue }
            for segment in badSegments {
                let path = endpoint.path.replacing(/\{[a-z]+\}/) { _ in segment }
                requests.append(("GET", path, []))
            }
        }
        requests += [
            ("GET", "/v1/subsidies/conflicts?programme=&period=x", []),
            ("GET", "/v1/txs/\(String(repeating: "0", count: 64))/receipt?format=pdf", []),
            ("POST", "/v1/txs?wait=forever", ["--data-binary", "x"]),
            ("POST", "/v1/txs", ["-H", "Content-Type: application/json", "--data", "{\"tx\": 5}"]),
            ("POST", "/v1/txs", ["-H", "Content-Type: application/json", "--data", "[1, 2"]),
            ("POST", "/v1/txs", ["-H", "Content-Type: application/octet-stream", "--data-binary", "@" + oversized]),
            ("POST", "/v1/txs", ["-H", "Content-Type: application/octet-stream", "--data-binary", "\u{1}\u{2}"]),
            ("POST", "/v1/txs/batch", ["-H", "Content-Type: application/json", "--data", "{\"txs\": \"no\"}"]),
            ("POST", "/v1/txs/batch", ["-H", "Content-Type: application/json", "--data", "{\"txs\": [7]}"]),
            (
                "POST", "/v1/txs/batch",
                ["-H", "Content-Type: application/octet-stream", "--data-binary", "@" + shortLength]
            ),
            ("POST", "/v1/txs/batch", ["-H", "Content-Type: application/octet-stream", "--data-binary", "@" + empty]),
            ("POST", "/v1/txs/batch", ["-H", "Content-Type: application/json", "--data", "{\"txs\": []}"]),
            ("GET", "/v1/nothing-here", []),
        ]
        for request in requests {
            let result = try await tool(
                "curl",
                ["-sS", "-X", request.method, "-o", "-", "-w", "\n%{http_code} %{content_type}", base + request.path]
                    + request.body
            )
            let lines = result.output.split(separator: "\n")
            let trailer = lines.last.map(String.init) ?? ""
            let status = Int(trailer.prefix(3)) ?? 0
            let body = lines.dropLast().joined(separator: "\n")
            let label = "\(request.method) \(request.path.prefix(60))"
            #expect((400..<500).contains(status), "\(label): \(trailer)")
            #expect(trailer.hasSuffix("application/problem+json"), "\(label): \(trailer)")
            let problem = try? JSONParser.parse(Array(body.utf8))
            #expect(problem?["code"] != nil && problem?["detail"] != nil, "\(label): \(body.prefix(200))")
        }
        #expect(requests.count > 50)
        // Unharmed: the node still answers and still commits.
        let before = await network.height(0) ?? 0
        let moving = await eventually { (await network.height(0) ?? 0) > before }
        #expect(moving, "the node stopped committing")
    }
}
