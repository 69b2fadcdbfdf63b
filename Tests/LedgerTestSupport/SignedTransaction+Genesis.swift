import LedgerCore
import LedgerCrypto

extension SignedTransaction {
    /// `payload` from `key`'s account with `sequence`, signed for `genesis`'s network.
    public static func signed(
        _ payload: TransactionPayload,
        sequence: UInt64,
        by key: PrivateKey,
        on genesis: Genesis
    ) throws -> SignedTransaction {
        try SignedTransaction(
            signing: Transaction(
                chainID: genesis.chainID,
                sender: key.publicKey.bytes,
                sequence: sequence,
                payload: payload
            ),
            with: key,
            for: genesis.network
        )
    }
}
