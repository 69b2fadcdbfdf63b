/// A member organisation: who it is, what it may do, which keys act for it, and — for a validator — its
/// node. Members enter through genesis or governance and leave only through governance.
public struct Member: Hashable, Sendable, CanonicalCodable {
    public static let maximumNameLength = 128
    public static let maximumAccountKeys = 8

    public let id: OrgID
    public let name: String
    public let roles: RoleSet
    /// Account public keys (suite encoding) that may sign transactions for this member.
    public let accountKeys: [[UInt8]]
    /// Present exactly when `roles` contains `validator`.
    public let validator: ValidatorInfo?
    /// A non-validator's node, if it runs one (a validator's node is registered in `validator`).
    public let observerNode: ObserverNode?

    public init(
        id: OrgID,
        name: String,
        roles: RoleSet,
        accountKeys: [[UInt8]],
        validator: ValidatorInfo?,
        observerNode: ObserverNode? = nil
    ) {
        self.id = id
        self.name = name
        self.roles = roles
        self.accountKeys = accountKeys
        self.validator = validator
        self.observerNode = observerNode
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(id)
        writer.write(name)
        writer.write(roles)
        writer.write(UInt32(accountKeys.count))
        for key in accountKeys { writer.write(bytes: key) }
        writer.write(validator)
        writer.write(observerNode)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        id = try reader.read(OrgID.self)
        name = try reader.readString(maxLength: Self.maximumNameLength, "member name")
        roles = try reader.read(RoleSet.self)
        let countStart = reader.offset
        let count = Int(try reader.read(UInt32.self))
        guard count <= Self.maximumAccountKeys else {
            throw CanonicalDecodingError(
                .limitExceeded,
                at: countStart,
                "more than \(Self.maximumAccountKeys) account keys"
            )
        }
        var keys: [[UInt8]] = []
        for _ in 0..<count { keys.append(try reader.readBytes(maxLength: 65, "account key")) }
        accountKeys = keys
        let validatorStart = reader.offset
        validator = try reader.readOptional(ValidatorInfo.self)
        guard (validator != nil) == roles.contains(.validator) else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: validatorStart,
                "validator details must be present exactly when the member has the validator role"
            )
        }
        let observerStart = reader.offset
        observerNode = try reader.readOptional(ObserverNode.self)
        guard observerNode == nil || validator == nil else {
            throw CanonicalDecodingError(
                .invalidValue,
                at: observerStart,
                "a validator's node is registered with its validator details, not as an observer"
            )
        }
    }
}
