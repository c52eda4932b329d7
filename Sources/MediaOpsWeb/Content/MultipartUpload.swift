import Foundation
import Hummingbird
import MediaOpsDomain
import MediaOpsStore
import MultipartKit

/// A `multipart/form-data` request read as it streams in: the one `file` part
/// is spooled to the staging folder (hashed and counted on the way, stopped
/// the moment it passes the limit), the other parts are kept as short text
/// fields. Nothing of the file stays behind when reading fails.
struct MultipartUpload {
    var fields: [String: String] = [:]
    var file: StagedUpload?
    /// The file name the client gave, cleaned of any path.
    var fileName: String?

    subscript(_ name: String) -> String? { fields[name] }

    /// Text fields above this size are refused; they are metadata, not content.
    static let maxFieldBytes = 64 * 1024
    static let maxParts = 32

    /// Reads the request. With `csrfToken`, the form's `_csrf` field must come
    /// before the file and match it, so a forged form is refused before any
    /// byte of its file is written.
    static func read(_ request: Request, staging: URL, maxFileBytes: Int64, csrfToken: String? = nil) async throws -> MultipartUpload {
        guard let boundary = boundary(request.headers[.contentType]) else {
            throw AppError(.unsupportedMediaType, "multipart_required")
        }
        // Room for the other fields and the part headers around the file.
        let maxBodyBytes = maxFileBytes + Int64(maxParts * maxFieldBytes)
        if let declared = request.headers[.contentLength].flatMap({ Int64($0) }), declared > maxBodyBytes {
            throw UploadTooLarge(limit: maxFileBytes)
        }
        let state = State(staging: staging, maxFileBytes: maxFileBytes, csrfToken: csrfToken)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in state.body(buffer.readableBytesView) }
        parser.onPartComplete = { state.complete() }
        do {
            var received: Int64 = 0
            for try await chunk in request.body {
                received += Int64(chunk.readableBytes)
                guard received <= maxBodyBytes else { throw UploadTooLarge(limit: maxFileBytes) }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw AppError(.badRequest, "invalid_multipart")
                }
                if let error = state.error { throw error }
            }
            // A body that ends inside a part was cut off.
            guard state.current == nil, state.headers.isEmpty, state.parts > 0 else { throw AppError(.badRequest, "invalid_multipart") }
            if let csrfToken, !TokenHasher.constantTimeEquals(state.upload.fields["_csrf"] ?? "", csrfToken) { throw AppError.csrf }
            return state.upload
        } catch {
            state.discard()
            throw error
        }
    }

    /// The boundary of a `multipart/form-data` Content-Type, or nil for any other type.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parameters = ContentDisposition.parameters(contentType)
        guard parameters.value.lowercased() == "multipart/form-data",
              let boundary = parameters.values["boundary"], !boundary.isEmpty, boundary.count <= 200 else { return nil }
        return boundary
    }

    /// The parser's callbacks cannot throw, so they record the first error here
    /// and the reading loop throws it after each chunk.
    private final class State {
        enum Part {
            case file(UploadSpool)
            case field(name: String, bytes: [UInt8])
            case skipped
        }

        let staging: URL
        let maxFileBytes: Int64
        let csrfToken: String?
        var headers: [(String, String)] = []
        var current: Part?
        var upload = MultipartUpload()
        var error: (any Error)?
        var parts = 0

        init(staging: URL, maxFileBytes: Int64, csrfToken: String?) {
            self.staging = staging
            self.maxFileBytes = maxFileBytes
            self.csrfToken = csrfToken
        }

        func body<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
            guard error == nil else { return }
            if current == nil { begin() }
            switch current {
            case .file(let spool):
                do { try spool.write(bytes) } catch { fail(error) }
            case .field(let name, var data):
                guard data.count + bytes.count <= MultipartUpload.maxFieldBytes else {
                    fail(ValidationError(field: name, code: "too_long", params: ["max": String(MultipartUpload.maxFieldBytes)]))
                    return
                }
                data.append(contentsOf: bytes)
                current = .field(name: name, bytes: data)
            case .skipped, .none:
                break
            }
        }

        func complete() {
            guard error == nil else { return }
            if current == nil { begin() }
            switch current {
            case .file(let spool):
                do { upload.file = try spool.finish() } catch { fail(error) }
            case .field(let name, let data):
                upload.fields[name] = String(decoding: data, as: UTF8.self)
            case .skipped, .none:
                break
            }
            current = nil
            headers = []
        }

        /// Decides what the part is from its headers, before its first byte.
        private func begin() {
            parts += 1
            guard parts <= MultipartUpload.maxParts else {
                fail(AppError(.badRequest, "invalid_multipart"))
                return
            }
            let disposition = headers.first { $0.0 == "content-disposition" }.map { ContentDisposition.parameters($0.1) }
            guard let disposition, let name = disposition.values["name"] else {
                current = .skipped
                return
            }
            let fileName = disposition.values["filename*"].flatMap(ContentDisposition.decodeExtended) ?? disposition.values["filename"]
            guard name == "file", let fileName else {
                // A file under another name is not read at all.
                current = fileName == nil ? .field(name: name, bytes: []) : .skipped
                return
            }
            // A form whose file box was left empty sends an empty part with an empty name.
            if fileName.isEmpty {
                current = .skipped
                return
            }
            guard upload.file == nil else {
                fail(ValidationError(field: "file", code: "one_file_only"))
                return
            }
            if let csrfToken, !TokenHasher.constantTimeEquals(upload.fields["_csrf"] ?? "", csrfToken) {
                fail(AppError.csrf)
                return
            }
            do {
                current = .file(try UploadSpool(stagingDirectory: staging, limit: maxFileBytes))
                upload.fileName = Asset.cleanFileName(ContentDisposition.unescapeFormName(fileName))
            } catch {
                fail(error)
            }
        }

        private func fail(_ failure: any Error) {
            if error == nil { error = failure }
            if case .file(let spool) = current { spool.discard() }
            current = .skipped
        }

        func discard() {
            if case .file(let spool) = current { spool.discard() }
            current = nil
            upload.file?.discard()
            upload.file = nil
        }
    }
}

/// Parameters of a header such as `form-data; name="file"; filename="海报.png"`.
enum ContentDisposition {
    struct Parsed {
        var value: String
        var values: [String: String]
    }

    static func parameters(_ header: String) -> Parsed {
        var pieces: [String] = []
        var piece = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                piece.append(character)
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(piece)
                piece = ""
            } else {
                piece.append(character)
            }
        }
        pieces.append(piece)
        var values: [String: String] = [:]
        for item in pieces.dropFirst() {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if values[key] == nil { values[key] = value }
        }
        return Parsed(value: pieces[0].trimmingCharacters(in: .whitespaces), values: values)
    }

    /// RFC 8187 `UTF-8''%E6%B5%B7%E6%8A%A5.png`.
    static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return String(parts[2]).removingPercentEncoding
    }

    /// Browsers write `"`, CR and LF in a file name as %22, %0D and %0A (and
    /// nothing else), so only those are turned back.
    static func unescapeFormName(_ value: String) -> String {
        value.replacingOccurrences(of: "%22", with: "\"").replacingOccurrences(of: "%0D", with: "").replacingOccurrences(of: "%0A", with: "")
    }
}
