import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import Node

/// `GET /verify`: the verification page (`docs/verifier.md`, "The page") with this node's genesis filled in.
/// The page checks everything in the browser; it trusts the genesis it is served with, and says a person who
/// trusts no node picks their own genesis file (or opens the page file their ministry publishes).
public enum VerifyPage {
    /// The page's HTML with its genesis marker still in place; nil only if the generated file were corrupt,
    /// which `NodeAPITests` rules out.
    public static let template: String? = Data(base64Encoded: base64, options: .ignoreUnknownCharacters).map {
        String(decoding: $0, as: UTF8.self)
    }

    public static let genesisMarker = "/*CIVIC-GENESIS*/null"

    /// The page with `genesis` built in: its JSON, with every `<` escaped (`\u003c`, the same JSON value) so
    /// that no text in it can end the script element that holds it.
    public static func html(genesis: Genesis) -> String? {
        let json = genesis.json.serialized(pretty: false).replacingOccurrences(of: "<", with: "\\u003c")
        return template?.replacingOccurrences(of: genesisMarker, with: json)
    }

    /// The page runs only its own script (named by its hash), talks only to this node, uses only the camera
    /// (to scan a QR code) and workers started from its own script, and is never framed; the same policy,
    /// but framing, is in the page's own `<meta>`, for the file opened from disk.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src '\(scriptHash)'; style-src 'unsafe-inline'; connect-src 'self'; "
        + "img-src data:; media-src blob: mediastream:; worker-src blob:; frame-ancestors 'none'"

    static func response(_ node: LedgerNode) throws -> Response {
        guard let page = html(genesis: node.consensus.genesis) else {
            throw ProblemDocument(.internalServerError, "page_unavailable", "No verification page", "rebuild civicd")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page))
        )
    }
}
