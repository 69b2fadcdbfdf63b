/// Why a transaction was refused. The raw values are stable codes that clients, the API and the docs rely
/// on (`docs/rules.md`, "Result codes", lists each with its meaning; `ResultCodeDocsTests` holds the two
/// together); the message in `TransactionResult` is for people.
public enum RejectionReason: String, Sendable, CaseIterable {
    // Authentication and replay (the sender's sequence is not advanced).
    case wrongChain = "wrong_chain"
    case unknownAccount = "unknown_account"
    case accountRevoked = "account_revoked"
    case memberRemoved = "member_removed"
    case badSignature = "bad_signature"
    case badSequence = "bad_sequence"
    // Authorisation and rules (the sender's sequence is advanced: the signed transaction is used up).
    case roleNotAllowed = "role_not_allowed"
    case certificateExists = "certificate_exists"
    case certificateNotFound = "certificate_not_found"
    case certificateFinal = "certificate_final"
    case invalidStatusChange = "invalid_status_change"
    case historyFull = "history_full"
    case notIssuer = "not_issuer"
    case provenanceRequired = "provenance_required"
    case replacementNotFound = "replacement_not_found"
    case batchExists = "batch_exists"
    case invalidBatch = "invalid_batch"
    case invalidAmount = "invalid_amount"
    case amountOverflow = "amount_overflow"
    case projectNotFound = "project_not_found"
    case overspend = "overspend"
    case invalidSubsidyBatch = "invalid_subsidy_batch"
    case duplicateSubsidy = "duplicate_subsidy"
    case invalidProgramme = "invalid_programme"
    case programmeNotFound = "programme_not_found"
    case notProgrammePayer = "not_programme_payer"
    case invalidGovernance = "invalid_governance"
    case proposalNotFound = "proposal_not_found"
    case proposalClosed = "proposal_closed"
    case proposalExpired = "proposal_expired"
    case alreadyApproved = "already_approved"

    /// Whether the sender's sequence number is consumed: once the sender is authenticated, a refused
    /// transaction is used up, so nobody can replay it later when the rules might let it through.
    public var consumesSequence: Bool {
        switch self {
        case .wrongChain, .unknownAccount, .accountRevoked, .memberRemoved, .badSignature, .badSequence: return false
        default: return true
        }
    }
}

/// A refusal with its stable code and a human explanation.
public struct Rejection: Error, Sendable, Equatable {
    public let reason: RejectionReason
    public let message: String

    public init(_ reason: RejectionReason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

/// The outcome of one transaction in a block: applied, or rejected with a reason.
public struct TransactionResult: Hashable, Sendable, CanonicalCodable {
    public static let maximumMessageLength = 512

    /// Nil when the transaction applied.
    public let rejection: RejectionReason?
    public let message: String

    public init(rejection: RejectionReason?, message: String) {
        self.rejection = rejection
        var text = message
        while text.utf8.count > Self.maximumMessageLength { text.removeLast() }
        self.message = text
    }

    public static func applied(_ message: String = "") -> TransactionResult {
        TransactionResult(rejection: nil, message: message)
    }

    public var isApplied: Bool { rejection == nil }
    /// `ok` or the rejection code.
    public var code: String { rejection?.rawValue ?? "ok" }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(code)
        writer.write(message)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        let start = reader.offset
        let code = try reader.readString(maxLength: 64, "result code")
        if code == "ok" {
            rejection = nil
        } else if let reason = RejectionReason(rawValue: code) {
            rejection = reason
        } else {
            throw CanonicalDecodingError(.unknownTag, at: start, "unknown result code \(code)")
        }
        message = try reader.readString(maxLength: Self.maximumMessageLength, "result message")
    }
}
