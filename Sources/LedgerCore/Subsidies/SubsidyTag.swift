import LedgerCrypto

/// The pseudonym a beneficiary has in one programme and period (`docs/privacy.md`, "Subsidies"):
/// HMAC(tag key, "civicledger/subsidy-tag/2" ‖ programme owner ‖ programme name ‖ period ‖ identity number),
/// canonical encodings, the network's hash. Keyed per programme and period, so the same person's tags in two
/// programmes — or two periods of one — are unrelated to anyone without the programme's tag key; equal for
/// the same person, programme and period whoever pays, which is how a double payment shows.
public enum SubsidyTag {
    public static let domain = "civicledger/subsidy-tag/2"

    public static func derive(
        identity: IdentityNumber,
        programme: ProgrammeRef,
        period: SubsidyPeriod,
        key: [UInt8],
        hash: any HashFunction
    ) -> Digest {
        var message = CanonicalWriter()
        message.write(domain)
        message.write(programme)
        message.write(period)
        message.write(identity.value)
        return HMAC(key: key, hash: hash).authenticate(message.bytes)
    }
}
