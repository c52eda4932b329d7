import Crypto
import Foundation
import MediaOpsDomain

/// An upload that has been received in full into the staging folder, with what
/// the checks need: its size, its SHA-256, and its first and last bytes.
public struct StagedUpload: Sendable {
    public var file: URL
    public var size: Int64
    public var sha256: String
    /// The first `FileSniffer.headLength` bytes (fewer for a smaller file).
    public var head: [UInt8]
    /// The last `FileSniffer.tailLength` bytes.
    public var tail: [UInt8]

    public init(file: URL, size: Int64, sha256: String, head: [UInt8], tail: [UInt8]) {
        self.file = file
        self.size = size
        self.sha256 = sha256
        self.head = head
        self.tail = tail
    }

    /// Removes the staged file (after a refusal).
    public func discard() {
        try? FileManager.default.removeItem(at: file)
    }
}

/// Thrown while receiving an upload larger than the configured limit.
public struct UploadTooLarge: Error, Sendable, Equatable {
    public var limit: Int64
    public init(limit: Int64) { self.limit = limit }
}

/// Receives an upload's bytes as they arrive: writes them to a staging file,
/// hashes them and counts them, so even a 200 MB video is never held in
/// memory and an oversized one is stopped as soon as it passes the limit.
/// Used by one request at a time; not shared between tasks.
public final class UploadSpool {
    public let file: URL
    public let limit: Int64
    private let handle: FileHandle
    private var hasher = SHA256()
    private var head: [UInt8] = []
    private(set) public var size: Int64 = 0
    private var closed = false

    public init(stagingDirectory: URL, limit: Int64) throws {
        try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true)
        file = stagingDirectory.appendingPathComponent("upload-" + UUID().uuidString.lowercased())
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        handle = try FileHandle(forWritingTo: file)
        self.limit = limit
    }

    /// Appends bytes; throws `UploadTooLarge` (and removes the file) past the limit.
    public func write<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws {
        guard !bytes.isEmpty else { return }
        size += Int64(bytes.count)
        guard size <= limit else {
            discard()
            throw UploadTooLarge(limit: limit)
        }
        let data = Data(bytes)
        hasher.update(data: data)
        if head.count < FileSniffer.headLength { head.append(contentsOf: data.prefix(FileSniffer.headLength - head.count)) }
        try handle.write(contentsOf: data)
    }

    /// Closes the file and returns what was received.
    public func finish() throws -> StagedUpload {
        try handle.synchronize()
        try handle.close()
        closed = true
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        var tail: [UInt8] = []
        if size > Int64(head.count) {
            let reader = try FileHandle(forReadingFrom: file)
            defer { try? reader.close() }
            let length = min(Int64(FileSniffer.tailLength), size)
            try reader.seek(toOffset: UInt64(size - length))
            tail = Array(try reader.readToEnd() ?? Data())
        } else {
            tail = Array(head.suffix(FileSniffer.tailLength))
        }
        return StagedUpload(file: file, size: size, sha256: digest, head: head, tail: tail)
    }

    /// Closes and removes the file (the request failed before it was finished).
    public func discard() {
        if !closed {
            try? handle.close()
            closed = true
        }
        try? FileManager.default.removeItem(at: file)
    }
}
