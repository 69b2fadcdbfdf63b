import LedgerTestSupport
import P2P
import Testing

/// Framing (`docs/network.md`): frames come out whole however the bytes are split; an oversized or empty
/// frame is refused from its prefix alone; the buffer never holds more than one frame's worth.
struct FrameDecoderTests {
    @Test func framesSurviveAnySplitOfTheStream() throws {
        var random = SeededGenerator(seed: 7)
        let payloads = (0..<200).map { index in
            (0..<Int.random(in: 1...3_000, using: &random)).map { _ in UInt8(truncatingIfNeeded: index) }
        }
        let stream = payloads.flatMap { FrameDecoder.frame($0) }
        for _ in 0..<20 {
            var decoder = FrameDecoder(maximumFrameSize: 4_096)
            var received: [[UInt8]] = []
            var offset = 0
            while offset < stream.count {
                let chunk = min(stream.count - offset, Int.random(in: 1...5_000, using: &random))
                received += try decoder.receive(stream[offset..<offset + chunk])
                offset += chunk
                #expect(decoder.bufferedBytes <= 4_096 + FrameDecoder.prefixSize + 5_000)
            }
            #expect(received == payloads)
            #expect(decoder.bufferedBytes == 0)
        }
    }

    @Test func oversizedAndEmptyFramesAreRefusedFromTheirPrefix() {
        var decoder = FrameDecoder(maximumFrameSize: 1_024)
        #expect(throws: FrameError.oversized(length: 1_025, maximum: 1_024)) {
            _ = try decoder.receive([0, 0, 4, 1])  // nothing of the payload has to arrive
        }
        var another = FrameDecoder(maximumFrameSize: 1_024)
        #expect(throws: FrameError.oversized(length: Int(UInt32.max), maximum: 1_024)) {
            _ = try another.receive([0xFF, 0xFF, 0xFF, 0xFF])
        }
        var empty = FrameDecoder(maximumFrameSize: 1_024)
        #expect(throws: FrameError.empty) { _ = try empty.receive([0, 0, 0, 0, 1]) }
    }

    @Test func aTruncatedFrameWaitsAndGarbageNeverTraps() throws {
        var decoder = FrameDecoder(maximumFrameSize: 64)
        #expect(try decoder.receive([0, 0, 0, 5, 1, 2]).isEmpty)
        #expect(try decoder.receive([3, 4, 5, 0, 0]) == [[1, 2, 3, 4, 5]])
        var random = SeededGenerator(seed: 9)
        for _ in 0..<10_000 {
            var fuzzed = FrameDecoder(maximumFrameSize: 64)
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            _ = try? fuzzed.receive(bytes)
            #expect(fuzzed.bufferedBytes <= 300)
        }
    }
}
