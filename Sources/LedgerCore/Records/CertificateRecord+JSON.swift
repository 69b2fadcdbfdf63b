extension CertificateRecord {
    /// The record for people and scripts (API answers, receipt summaries): kind, issuer, current status and
    /// every event. Informative only; what is proven is the canonical encoding.
    public var json: JSONValue {
        .object([
            JSONMember("status", .string(status.description)),
            JSONMember("kind", .string("\(kind)")),
            JSONMember("issuer", .string(issuer.value)),
            JSONMember(
                "history",
                .array(
                    history.map { event in
                        var fields = [
                            JSONMember("status", .string(event.status.description)),
                            JSONMember("by", .string(event.by.value)),
                            JSONMember("height", .unsigned(event.height)),
                            JSONMember("reason", .string(event.reason.value)),
                        ]
                        if let replacement = event.replacement {
                            fields.append(
                                JSONMember(
                                    "replacement",
                                    .object([
                                        JSONMember("issuer", .string(replacement.issuer.value)),
                                        JSONMember("key", .string(replacement.key.hex)),
                                    ])
                                )
                            )
                        }
                        return .object(fields)
                    }
                )
            ),
        ])
    }
}
