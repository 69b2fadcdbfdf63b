import CQRCode
import CivicCommandLine
import Foundation

/// A QR code as a PNG for printing on a certificate (`civic receipt --qr`): libqrencode makes the symbol,
/// libpng writes it, both well-kept C libraries from Debian rather than a hand-written encoder.
enum QRCodeImage {
    /// The PNG of `text` in a QR code of error-correction level M (15% of the symbol may be lost — a fold, a
    /// stamp), each module `scale` pixels square, with the standard quiet zone of 4 modules.
    static func png(_ text: String, scale: Int = 8) throws -> [UInt8] {
        guard let symbol = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw InputError(message: "cannot make a QR code of \(text.utf8.count) bytes (too long?)")
        }
        defer { QRcode_free(symbol) }
        let modules = Int(symbol.pointee.width)
        let border = 4
        let side = (modules + 2 * border) * scale
        var pixels = [UInt8](repeating: 0xFF, count: side * side)
        // Bit 0 of each module's byte is "dark" (qrencode.h).
        for row in 0..<modules {
            for column in 0..<modules where symbol.pointee.data[row * modules + column] & 1 == 1 {
                for y in 0..<scale {
                    let start = ((row + border) * scale + y) * side + (column + border) * scale
                    pixels.replaceSubrange(start..<start + scale, with: repeatElement(0, count: scale))
                }
            }
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(side)
        image.height = UInt32(side)
        image.format = UInt32(PNG_FORMAT_GRAY)
        // First ask for the size, then write into a buffer of that size (libpng's simplified API).
        var size = 0
        guard png_image_write_to_memory(&image, nil, &size, 0, pixels, 0, nil) != 0, size > 0 else {
            throw InputError(message: "cannot encode the QR code as PNG")
        }
        var out = [UInt8](repeating: 0, count: size)
        let written = out.withUnsafeMutableBytes { buffer in
            png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, pixels, 0, nil)
        }
        guard written != 0 else { throw InputError(message: "cannot encode the QR code as PNG") }
        return Array(out.prefix(size))
    }
}
