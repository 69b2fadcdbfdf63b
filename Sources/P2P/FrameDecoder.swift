/// Why a byte stream from a peer is not a sequence of frames: the connection is closed, nothing else.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The length prefix announces more than the hard maximum: refused before anything is buffered.
    case oversized(length: Int, maximum: Int)
    /// A frame with no payload is never sent.
    case empty

    public var description: String {
        switch self {
        case .oversized(let length, let maximum): return "frame of \(length) bytes announced; the maximum is \(maximum)"
        case .empty: return "empty frame"
        }
    }
}

/// Length-prefixed framing (`docs/network.md`): each frame is a big-endian `UInt32` payload length, then the
/// payload. The decoder takes bytes as they arrive and returns whole payloads; it never buffers more than
/// one maximum-size frame plus its prefix, whatever a peer sends.
public struct FrameDecoder: Sendable {
    public static let prefixSize = 4
    public let maximumFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maximumFrameSize: Int) {
        self.maximumFrameSize = maximumFrameSize
    }

    /// Bytes received but not yet returned as a frame.
    public var bufferedBytes: Int { buffer.count - start }

    /// Adds received bytes and returns every frame now complete, in order. After an error the connection must
    /// be closed: the stream has lost its framing.
    public mutating func receive(_ bytes: some Collection<UInt8>) throws(FrameError) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var frames: [[UInt8]] = []
        while buffer.count - start >= Self.prefixSize {
            let length = buffer[start..<start + Self.prefixSize].reduce(0) { $0 << 8 | Int($1) }
            guard length > 0 else { throw .empty }
            guard length <= maximumFrameSize else { throw .oversized(length: length, maximum: maximumFrameSize) }
            guard buffer.count - start - Self.prefixSize >= length else { break }
            let payloadStart = start + Self.prefixSize
            frames.append(Array(buffer[payloadStart..<payloadStart + length]))
            start = payloadStart + length
        }
        // Drop what was consumed once it outweighs what is left, so the buffer stays bounded.
        if start > 0, start >= buffer.count - start {
            buffer.removeFirst(start)
            start = 0
        }
        return frames
    }

    /// One frame on the wire for `payload` (which must not exceed the maximum).
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + payload
    }
}
