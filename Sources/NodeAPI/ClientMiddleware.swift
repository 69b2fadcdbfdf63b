import Hummingbird
import NIOCore
import Node

/// Names the client every limit counts — the connection's IP address, or behind a trusted proxy the address
/// it forwards (`ClientAddress.resolve`), IPv6 by its /64 (`ClientAddress.key`) — and gives the request a `BodyReader` bound to that client, whose body
/// bytes go back to the budget once the request is answered.
struct ClientMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let trustedProxies: [IPAddressRange]
    let budget: BodyBudget
    let bodyTimeout: TimeAmount

    func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        var context = context
        context.client = ClientAddress.key(
            trustedProxies.isEmpty
                ? peer
                : ClientAddress.resolve(
                    peer: peer,
                    forwardedFor: request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value),
                    trusted: trustedProxies
                )
        )
        let reservation = BodyReservation(budget: budget, client: context.client)
        defer { reservation.releaseAll() }
        context.bodyReader = BodyReader(reservation: reservation, timeout: bodyTimeout)
        return try await next(request, context)
    }
}
