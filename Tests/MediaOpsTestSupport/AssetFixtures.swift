import Foundation
import MediaOpsDomain

/// Small, valid files built in code for asset tests, so no binary fixture is committed.
public enum AssetFixtures {
    /// A valid RGBA PNG of the given size, filled with one colour (the seed
    /// picks it, so different seeds give different bytes). Its pixels are stored
    /// uncompressed in a "stored" deflate block, which every decoder accepts.
    public static func png(width: Int = 1, height: Int = 1, seed: UInt8 = 0) -> [UInt8] {
        SolidColorPNG.make(width: width, height: height, red: seed, green: 0x80, blue: 0xFF &- seed)
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

    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
}
