import Foundation

/// Asset bytes as files under one folder (by default `<data directory>/assets/`),
/// each named by its SHA-256 and spread over 256 subfolders by the first two
/// hex digits so no folder grows huge: `assets/ab/abcdef…`. Uploads are
/// received in `assets/.incoming/` on the same volume, so storing one is a rename.
public struct LocalAssetStorage: AssetStorage {
    public let directory: URL
    public var stagingDirectory: URL { directory.appendingPathComponent(".incoming", isDirectory: true) }

    /// Creates the folder (and the staging folder) if needed, and clears
    /// uploads left half-received by a previous run (older than a day).
    public init(directory: URL) throws {
        self.directory = directory
        let staging = directory.appendingPathComponent(".incoming", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let cutoff = Date().addingTimeInterval(-86_400)
        for url in (try? FileManager.default.contentsOfDirectory(at: staging, includingPropertiesForKeys: [.contentModificationDateKey])) ?? [] {
            if let modified = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate, modified < cutoff {
                try? FileManager.default.removeItem(at: url)
            }
        }
    }

    public func put(key: String, stagedFile: URL) async throws -> Bool {
        let target = try path(for: key)
        let manager = FileManager.default
        try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if manager.fileExists(atPath: target.path) {
            try? manager.removeItem(at: stagedFile)
            return false
        }
        do {
            try manager.moveItem(at: stagedFile, to: target)
            return true
        } catch {
            // Another upload of the same bytes won the race: theirs is ours.
            if manager.fileExists(atPath: target.path) {
                try? manager.removeItem(at: stagedFile)
                return false
            }
            throw error
        }
    }

    public func get(key: String, range: ClosedRange<Int64>?) async throws -> StoredObject? {
        let target = try path(for: key)
        guard let total = try await size(key: key), let handle = try? FileHandle(forReadingFrom: target) else { return nil }
        var remaining = total
        if let range {
            guard range.lowerBound >= 0, range.upperBound < total else {
                try? handle.close()
                throw InvalidRange(range: range, size: total)
            }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            remaining = range.upperBound - range.lowerBound + 1
        }
        let reader = ChunkReader(handle: handle, remaining: remaining)
        let chunks = AsyncThrowingStream<Data, any Error> {
            try reader.next()
        }
        return StoredObject(size: remaining, totalSize: total, chunks: chunks)
    }

    public func size(key: String) async throws -> Int64? {
        let target = try path(for: key)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path) else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    public func delete(key: String) async throws {
        let target = try path(for: key)
        if FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.removeItem(at: target)
        }
    }

    func path(for key: String) throws -> URL {
        guard Self.isValidKey(key) else { throw InvalidStorageKey(key: key) }
        return directory.appendingPathComponent(String(key.prefix(2)), isDirectory: true).appendingPathComponent(key)
    }

    static func isValidKey(_ key: String) -> Bool {
        key.count == 64 && key.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}

/// Reads a file in chunks of at most 256 KiB, up to `remaining` bytes, and
/// closes it at the end.
private final class ChunkReader: @unchecked Sendable {
    // Used by one stream, which asks for one chunk at a time.
    private let handle: FileHandle
    private var remaining: Int64
    private var done = false

    init(handle: FileHandle, remaining: Int64) {
        self.handle = handle
        self.remaining = remaining
    }

    func next() throws -> Data? {
        if done { return nil }
        let chunk = remaining > 0 ? try handle.read(upToCount: Int(min(remaining, 256 * 1024))) ?? Data() : Data()
        remaining -= Int64(chunk.count)
        if chunk.isEmpty {
            done = true
            try? handle.close()
            return nil
        }
        return chunk
    }

    deinit { if !done { try? handle.close() } }
}
