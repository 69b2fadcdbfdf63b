import LedgerCrypto

/// Donations and disbursements (`docs/rules.md`, "Charity funds"). A project belongs to the charity that
/// records its first donation; its totals only grow, and spent never exceeds received.
extension PayloadContext {
    func recordDonation<State: StateReader>(
        _ donation: Donation,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard donation.amount > 0 else { throw reject(.invalidAmount, "a donation amount must be positive") }
        let projectKey = keys.project(charity: sender, project: donation.projectID)
        var project =
            try read(ProjectRecord.self, projectKey, overlay)
            ?? ProjectRecord(charity: sender, project: donation.projectID)
        let (received, overflow) = project.received.addingReportingOverflow(donation.amount)
        guard !overflow, project.donationCount < UInt32.max else {
            throw reject(.amountOverflow, "project \(donation.projectID) cannot hold more donations")
        }
        let index = project.donationCount
        project.received = received
        project.donationCount += 1
        overlay.write(project, at: projectKey)
        overlay.write(
            DonationRecord(payload: donation, transactionID: transactionID, height: block.height),
            at: keys.donation(project: projectKey, index: index)
        )
        return "donation \(index) of \(donation.amount) recorded; balance \(project.balance)"
    }

    func recordDisbursement<State: StateReader>(
        _ disbursement: Disbursement,
        _ overlay: inout StateOverlay<State>
    ) throws(PayloadFailure) -> String {
        guard disbursement.amount > 0 else { throw reject(.invalidAmount, "a disbursement amount must be positive") }
        let projectKey = keys.project(charity: sender, project: disbursement.projectID)
        guard var project = try read(ProjectRecord.self, projectKey, overlay) else {
            throw reject(.projectNotFound, "\(sender) has no project \(disbursement.projectID)")
        }
        guard disbursement.amount <= project.balance else {
            throw reject(
                .overspend,
                "project \(disbursement.projectID) has \(project.balance) left (received \(project.received), spent \(project.spent)); cannot pay \(disbursement.amount)"
            )
        }
        guard project.disbursementCount < UInt32.max else {
            throw reject(.amountOverflow, "project \(disbursement.projectID) cannot hold more disbursements")
        }
        let index = project.disbursementCount
        project.spent += disbursement.amount
        project.disbursementCount += 1
        overlay.write(project, at: projectKey)
        overlay.write(
            DisbursementRecord(payload: disbursement, transactionID: transactionID, height: block.height),
            at: keys.disbursement(project: projectKey, index: index)
        )
        return "disbursement \(index) of \(disbursement.amount) recorded; balance \(project.balance)"
    }
}
