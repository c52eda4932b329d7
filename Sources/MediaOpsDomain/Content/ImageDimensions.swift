import Foundation

/// Width and height in pixels, read from an image's header without decoding it.
/// Pure and defensive: a truncated or malformed header gives nil, never a crash.
public struct ImageDimensions: Sendable, Equatable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height)" }

    /// Reads PNG (IHDR), GIF (logical screen), JPEG (the first SOF marker),
    /// WebP (VP8, VP8L and VP8X), BMP and PSD headers. The orientation flag of
    /// EXIF is not applied: the numbers are the stored pixel grid.
    public static func read(_ bytes: some Collection<UInt8>) -> ImageDimensions? {
        let b = Array(bytes.prefix(FileSniffer.headLength))
        func ascii(_ offset: Int, _ text: String) -> Bool {
            let needle = Array(text.utf8)
            return b.count >= offset + needle.count && Array(b[offset..<offset + needle.count]) == needle
        }
        let result: ImageDimensions?
        if b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), ascii(12, "IHDR") {
            result = make(BinaryRead.be32(b, 16), BinaryRead.be32(b, 20))
        } else if b.count >= 10, ascii(0, "GIF87a") || ascii(0, "GIF89a") {
            result = make(UInt32(BinaryRead.le16(b, 6)), UInt32(BinaryRead.le16(b, 8)))
        } else if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 {
            result = jpeg(b)
        } else if ascii(0, "RIFF"), ascii(8, "WEBP") {
            result = webp(b)
        } else if b.count >= 26, ascii(0, "BM") {
            if BinaryRead.le32(b, 14) == 12 {
                result = make(UInt32(BinaryRead.le16(b, 18)), UInt32(BinaryRead.le16(b, 20)))
            } else {
                // Height is negative for top-down bitmaps.
                result = make(BinaryRead.le32(b, 18), UInt32(abs(Int64(Int32(bitPattern: BinaryRead.le32(b, 22))))))
            }
        } else if b.count >= 22, ascii(0, "8BPS") {
            result = make(BinaryRead.be32(b, 18), BinaryRead.be32(b, 14))
        } else {
            result = nil
        }
        return result
    }

    private static func make(_ width: UInt32, _ height: UInt32) -> ImageDimensions? {
        // 1 to 1,000,000 px a side: anything else is a corrupt header, not an image.
        guard (1...1_000_000).contains(width), (1...1_000_000).contains(height) else { return nil }
        return ImageDimensions(width: Int(width), height: Int(height))
    }

    /// Walks the JPEG segments up to the first start-of-frame marker.
    private static func jpeg(_ b: [UInt8]) -> ImageDimensions? {
        var index = 2
        while index + 4 <= b.count {
            guard b[index] == 0xFF else { return nil }
            var marker = b[index + 1]
            // Fill bytes: any number of 0xFF may pad before a marker.
            while marker == 0xFF, index + 2 < b.count {
                index += 1
                marker = b[index + 1]
            }
            if marker == 0x01 || (0xD0...0xD8).contains(marker) {
                index += 2
                continue
            }
            if marker == 0xD9 || marker == 0xDA { return nil }
            let length = Int(BinaryRead.be16(b, index + 2))
            guard length >= 2 else { return nil }
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                guard index + 9 <= b.count else { return nil }
                return make(UInt32(BinaryRead.be16(b, index + 7)), UInt32(BinaryRead.be16(b, index + 5)))
            }
            index += 2 + length
        }
        return nil
    }

    private static func webp(_ b: [UInt8]) -> ImageDimensions? {
        guard b.count >= 30 else { return nil }
        let chunk = String(decoding: b[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            guard b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A else { return nil }
            return make(UInt32(BinaryRead.le16(b, 26) & 0x3FFF), UInt32(BinaryRead.le16(b, 28) & 0x3FFF))
        case "VP8L":
            guard b[20] == 0x2F else { return nil }
            let bits = BinaryRead.le32(b, 21)
            return make((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            return make(BinaryRead.le24(b, 24) + 1, BinaryRead.le24(b, 27) + 1)
        default:
            return nil
        }
    }
}
