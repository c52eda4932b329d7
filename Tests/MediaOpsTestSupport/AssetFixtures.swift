import Foundation

/// Small, valid files built in code for asset tests, so no binary fixture is committed.
public enum AssetFixtures {
    /// A valid RGBA PNG of the given size, filled with one colour (the seed
    /// picks it, so different seeds give different bytes). Its pixels are stored
    /// uncompressed in a "stored" deflate block, which every decoder accepts.
    public static func png(width: Int = 1, height: Int = 1, seed: UInt8 = 0) -> [UInt8] {
        var raw: [UInt8] = []
        for _ in 0..<height {
            raw.append(0)  // filter: none
            for _ in 0..<width { raw += [seed, 0x80, 0xFF &- seed, 0xFF] }
        }
        precondition(raw.count <= 65_535, "fixture too large for one stored block")
        var zlib: [UInt8] = [0x78, 0x01, 0x01]
        zlib += le16(raw.count) + le16(~raw.count & 0xFFFF) + raw
        zlib += be32(adler32(raw))
        var ihdr = be32(UInt32(width)) + be32(UInt32(height))
        ihdr += [8, 6, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    /// A JPEG header (SOI, APP0/JFIF, a quantisation table, SOF0 and EOI): enough for type and size checks.
    public static func jpegHeader(width: Int, height: Int) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        bytes += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        bytes += [0xFF, 0xC0, 0x00, 0x11, 0x08] + be16(height) + be16(width) + [0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
        bytes += [0xFF, 0xD9]
        return bytes
    }

    /// The start of an OpenType (CFF) font: a font, so served as a download.
    public static func openTypeFont() -> [UInt8] {
        Array("OTTO".utf8) + [0x00, 0x0A, 0x00, 0x80, 0x00, 0x03, 0x00, 0x20] + [UInt8](repeating: 0, count: 64)
    }

    /// A minimal one-page PDF.
    public static func pdf() -> [UInt8] {
        Array("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
}
