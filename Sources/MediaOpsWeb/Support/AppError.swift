import Foundation
import Hummingbird
import MediaOpsDomain

/// An error a request ends with on purpose: a status, a catalog code, maybe the
/// field at fault. Domain errors map onto it in one place (`AppError.from`).
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var field: String?
    public var params: [String: String]
    /// Extra headers, e.g. Retry-After on 429.
    public var headers: HTTPFields
    /// Every broken rule when a form broke several (this error is the first).
    public var all: [AppError] = []

    public init(_ status: HTTPResponse.Status, _ code: String, field: String? = nil, params: [String: String] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.field = field
        self.params = params
        self.headers = headers
    }

    public static let unauthorized = AppError(.unauthorized, "unauthorized")
    public static let forbidden = AppError(.forbidden, "forbidden")
    public static let notFound = AppError(.notFound, "not_found")
    public static let csrf = AppError(.forbidden, "csrf_failed")

    static func from(_ error: any Error) -> AppError? {
        switch error {
        case let error as AppError: return error
        case let error as ValidationError: return AppError(.unprocessableContent, error.code, field: error.field, params: error.params)
        case let error as ValidationErrors:
            let each = error.errors.map { AppError(.unprocessableContent, $0.code, field: $0.field, params: $0.params) }
            guard var first = each.first else { return AppError(.unprocessableContent, "generic") }
            first.all = each
            return first
        case let error as ConflictError: return AppError(.conflict, error.code, field: error.field, params: error.params)
        case let error as NotFoundError: return AppError(.notFound, "not_found", params: ["entity": error.entity])
        case let error as PermissionError: return AppError(.forbidden, error.code, params: error.params)
        case let error as HTTPError:
            switch error.status {
            case .contentTooLarge: return AppError(.contentTooLarge, "too_large")
            case .notFound: return .notFound
            case .methodNotAllowed: return AppError(.methodNotAllowed, "method_not_allowed")
            case .badRequest: return AppError(.badRequest, "bad_request")
            default: return error.status.code < 500 ? AppError(error.status, "bad_request") : nil
            }
        default: return nil
        }
    }
}
