import Foundation

/// The file formats the asset library accepts. Anything else is refused: the
/// library serves files back to browsers, so it holds only formats whose bytes
/// it can recognise and that cannot run as a page (no HTML, SVG or scripts).
public enum FileFormat: String, CaseIterable, Sendable, Codable {
    case png, jpeg, gif, webp, bmp, heic, avif
    case mp4, mov, webm, mkv
    case mp3, wav, m4a, ogg, flac
    case ttf, otf, woff, woff2, ttc
    case psd, ai, sketch, pptx, docx, xlsx
    case pdf

    public var kind: AssetKind {
        switch self {
        case .png, .jpeg, .gif, .webp, .bmp, .heic, .avif: .image
        case .mp4, .mov, .webm, .mkv: .video
        case .mp3, .wav, .m4a, .ogg, .flac: .audio
        case .ttf, .otf, .woff, .woff2, .ttc: .font
        case .psd, .ai, .sketch, .pptx, .docx, .xlsx: .template
        case .pdf: .document
        }
    }

    public var mimeType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .bmp: "image/bmp"
        case .heic: "image/heic"
        case .avif: "image/avif"
        case .mp4: "video/mp4"
        case .mov: "video/quicktime"
        case .webm: "video/webm"
        case .mkv: "video/x-matroska"
        case .mp3: "audio/mpeg"
        case .wav: "audio/wav"
        case .m4a: "audio/mp4"
        case .ogg: "audio/ogg"
        case .flac: "audio/flac"
        case .ttf: "font/ttf"
        case .otf: "font/otf"
        case .woff: "font/woff"
        case .woff2: "font/woff2"
        case .ttc: "font/collection"
        case .psd: "image/vnd.adobe.photoshop"
        case .ai: "application/postscript"
        case .sketch: "application/zip"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pdf: "application/pdf"
        }
    }

    /// File name extensions (lowercase) that may carry this format; the first is the usual one.
    public var extensions: [String] {
        switch self {
        case .jpeg: ["jpg", "jpeg", "jpe", "jfif"]
        case .heic: ["heic", "heif"]
        case .mp4: ["mp4", "m4v"]
        case .mov: ["mov", "qt"]
        case .m4a: ["m4a", "m4b"]
        case .ogg: ["ogg", "oga", "opus"]
        case .psd: ["psd", "psb"]
        default: [rawValue]
        }
    }

    public var primaryExtension: String { extensions[0] }

    /// Browsers can draw it in an <img>.
    public var isPreviewableImage: Bool {
        switch self {
        case .png, .jpeg, .gif, .webp, .bmp, .avif: true
        default: false
        }
    }

    /// Every extension the library knows, to tell a mislabelled file from an unknown one.
    public static let knownExtensions: Set<String> = Set(allCases.flatMap(\.extensions))
}

/// Decides a file's format from its bytes alone, never from its name or the
/// Content-Type a client declared; then checks that the name does not claim
/// something else. Pure: it reads the first bytes of the file (`head`) and,
/// for ZIP containers whose directory sits at the end, the last ones (`tail`).
public enum FileSniffer {
    /// How many leading bytes callers should keep for `detect` and `ImageDimensions`.
    public static let headLength = 512 * 1024
    /// How many trailing bytes callers should keep (a ZIP's end record and directory).
    public static let tailLength = 128 * 1024

    /// The formats the bytes can be, best guess first. Several when the bytes
    /// alone cannot tell (a PDF-compatible Illustrator file is a PDF; an ISO
    /// media file may hold video or only sound); empty when the format is not one
    /// the library accepts.
    public static func candidates(head: some Collection<UInt8>, tail: some Collection<UInt8> = [UInt8]()) -> [FileFormat] {
        let b = Array(head.prefix(headLength))
        func at(_ offset: Int, _ bytes: [UInt8]) -> Bool {
            offset >= 0 && b.count >= offset + bytes.count && Array(b[offset..<offset + bytes.count]) == bytes
        }
        func ascii(_ offset: Int, _ text: String) -> Bool { at(offset, Array(text.utf8)) }

        if at(0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return [.png] }
        if at(0, [0xFF, 0xD8, 0xFF]) { return [.jpeg] }
        if ascii(0, "GIF87a") || ascii(0, "GIF89a") { return [.gif] }
        if ascii(0, "RIFF") && ascii(8, "WEBP") { return [.webp] }
        if ascii(0, "RIFF") && ascii(8, "WAVE") { return [.wav] }
        if ascii(0, "BM"), b.count >= 18, b[6] == 0, b[7] == 0, b[8] == 0, b[9] == 0,
           [12, 40, 52, 56, 64, 108, 124].contains(Int(BinaryRead.le32(b, 14))) { return [.bmp] }
        if ascii(0, "8BPS"), b.count >= 6, b[4] == 0, b[5] == 1 || b[5] == 2 { return [.psd] }
        if ascii(0, "%PDF-") { return [.pdf, .ai] }
        if ascii(0, "%!PS-Adobe") { return [.ai] }
        if ascii(4, "ftyp") { return isoMedia(b) }
        if at(0, [0x1A, 0x45, 0xDF, 0xA3]) {
            let window = b.prefix(256)
            if contains(window, "webm") { return [.webm] }
            if contains(window, "matroska") { return [.mkv] }
            return []
        }
        if ascii(0, "OggS") { return [.ogg] }
        if ascii(0, "fLaC") { return [.flac] }
        if ascii(0, "ID3"), b.count >= 10, b[3] >= 2, b[3] <= 4 { return [.mp3] }
        if isMPEGAudioFrame(b, at: 0) { return [.mp3] }
        if at(0, [0x00, 0x01, 0x00, 0x00]), b.count >= 12, (1...200).contains(BinaryRead.be16(b, 4)) { return [.ttf] }
        if ascii(0, "true") { return [.ttf] }
        if ascii(0, "OTTO") { return [.otf] }
        if ascii(0, "wOFF") { return [.woff] }
        if ascii(0, "wOF2") { return [.woff2] }
        if ascii(0, "ttcf") { return [.ttc] }
        if at(0, [0x50, 0x4B, 0x03, 0x04]) { return zipContainer(head: b, tail: Array(tail.suffix(tailLength))) }
        return []
    }

    /// The format of a file, or the reason it is refused:
    /// `unsupported_file_type` when the bytes are no format the library takes
    /// and the name does not claim one either; `file_type_mismatch` when the
    /// name's extension says something the bytes are not (a PNG named .pdf, or
    /// an HTML page named .png). A name without an extension is accepted.
    public static func check(head: some Collection<UInt8>, tail: some Collection<UInt8> = [UInt8](), fileName: String,
                             field: String = "file") throws(ValidationError) -> FileFormat {
        let ext = (fileName as NSString).pathExtension.lowercased()
        let found = candidates(head: head, tail: tail)
        guard let first = found.first else {
            if FileFormat.knownExtensions.contains(ext) {
                throw ValidationError(field: field, code: "file_type_mismatch", params: ["extension": ext])
            }
            throw ValidationError(field: field, code: "unsupported_file_type")
        }
        if ext.isEmpty { return first }
        if let match = found.first(where: { $0.extensions.contains(ext) }) { return match }
        throw ValidationError(field: field, code: "file_type_mismatch", params: ["extension": ext, "detected": first.primaryExtension])
    }

    // MARK: Containers

    /// ISO base media ("ftyp" box): the major and compatible brands say what it holds.
    static func isoMedia(_ b: [UInt8]) -> [FileFormat] {
        guard b.count >= 12 else { return [] }
        let size = Int(BinaryRead.be32(b, 0))
        var brands = [String(decoding: b[8..<12], as: UTF8.self)]
        var offset = 16
        while offset + 4 <= min(b.count, max(size, 16), 256) {
            brands.append(String(decoding: b[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        let major = brands[0]
        if brands.contains("avif") || brands.contains("avis") { return [.avif] }
        if ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains(major) { return [.heic] }
        if major == "qt  " { return [.mov] }
        if major.hasPrefix("M4A") || major.hasPrefix("M4B") || major.hasPrefix("M4P") { return [.m4a] }
        if major.hasPrefix("M4V") { return [.mp4] }
        let videoBrands = ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "mmp4", "MSNV", "f4v ", "3gp4", "3gp5", "3gp6", "3g2a"]
        if videoBrands.contains(major) || brands.contains("isom") || brands.contains("mp42") {
            // Plain ISO files may be films or sound only; the name decides between them.
            return [.mp4, .m4a, .mov]
        }
        return []
    }

    /// A ZIP file is accepted only as an Office Open XML document or a Sketch file,
    /// recognised by the names of its entries (local headers near the start,
    /// the central directory near the end).
    static func zipContainer(head: [UInt8], tail: [UInt8]) -> [FileFormat] {
        let names = zipEntryNames(head, signature: [0x50, 0x4B, 0x03, 0x04], nameLengthAt: 26, nameAt: 30)
            .union(zipEntryNames(tail, signature: [0x50, 0x4B, 0x01, 0x02], nameLengthAt: 28, nameAt: 46))
        if names.contains("[Content_Types].xml") {
            if names.contains(where: { $0.hasPrefix("ppt/") }) { return [.pptx] }
            if names.contains(where: { $0.hasPrefix("word/") }) { return [.docx] }
            if names.contains(where: { $0.hasPrefix("xl/") }) { return [.xlsx] }
            return []
        }
        if names.contains("document.json") && (names.contains("meta.json") || names.contains(where: { $0.hasPrefix("pages/") })) {
            return [.sketch]
        }
        return []
    }

    static func zipEntryNames(_ bytes: [UInt8], signature: [UInt8], nameLengthAt: Int, nameAt: Int) -> Set<String> {
        var names = Set<String>()
        var index = 0
        while index + nameAt <= bytes.count {
            if bytes[index] == signature[0], bytes[index + 1] == signature[1], bytes[index + 2] == signature[2], bytes[index + 3] == signature[3] {
                let length = Int(BinaryRead.le16(bytes, index + nameLengthAt))
                let start = index + nameAt
                if length > 0, length <= 1024, start + length <= bytes.count,
                   let name = String(bytes: bytes[start..<start + length], encoding: .utf8) {
                    names.insert(name)
                    index = start + length
                    continue
                }
            }
            index += 1
        }
        return names
    }

    /// An MPEG audio frame header: 11 sync bits, then a valid version, layer,
    /// bit rate and sample rate (rules out JPEG, AAC and random bytes).
    static func isMPEGAudioFrame(_ b: [UInt8], at offset: Int) -> Bool {
        guard b.count >= offset + 4, b[offset] == 0xFF, b[offset + 1] & 0xE0 == 0xE0 else { return false }
        let version = (b[offset + 1] >> 3) & 0x03
        let layer = (b[offset + 1] >> 1) & 0x03
        let bitrate = b[offset + 2] >> 4
        let sampleRate = (b[offset + 2] >> 2) & 0x03
        return version != 0x01 && layer != 0x00 && bitrate != 0x0F && bitrate != 0x00 && sampleRate != 0x03
    }

    static func contains(_ bytes: ArraySlice<UInt8>, _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        let hay = Array(bytes)
        for start in 0...(hay.count - needle.count) where hay[start] == needle[0] && Array(hay[start..<start + needle.count]) == needle {
            return true
        }
        return false
    }
}

// Integer readers shared by the sniffer and the dimension reader; out of range reads give 0.
enum BinaryRead {
    static func be16(_ b: [UInt8], _ i: Int) -> UInt16 { i >= 0 && i + 2 <= b.count ? UInt16(b[i]) << 8 | UInt16(b[i + 1]) : 0 }
    static func le16(_ b: [UInt8], _ i: Int) -> UInt16 { i >= 0 && i + 2 <= b.count ? UInt16(b[i + 1]) << 8 | UInt16(b[i]) : 0 }
    static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        i >= 0 && i + 4 <= b.count ? UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]) : 0
    }
    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        i >= 0 && i + 4 <= b.count ? UInt32(b[i + 3]) << 24 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i]) : 0
    }
    static func le24(_ b: [UInt8], _ i: Int) -> UInt32 {
        i >= 0 && i + 3 <= b.count ? UInt32(b[i + 2]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i]) : 0
    }
}
