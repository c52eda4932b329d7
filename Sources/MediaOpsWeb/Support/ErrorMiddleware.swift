import Foundation
import Hummingbird
import Logging
import MediaOpsDomain

/// Turns every error into the answer the caller can use: the JSON error shape
/// under /api, a page in the user's language elsewhere. Anything unexpected is
/// logged with the request id and answered 500 without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageSupport

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as RedirectRequired {
            return Response.redirect(to: redirect.location, type: .found)
        } catch {
            // The identity middleware runs inside this one, so read what it could.
            let localizer = pages.localizer(context)
            let appError: AppError
            if let mapped = AppError.from(error) {
                appError = mapped
            } else {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
                appError = AppError(.internalServerError, "internal")
            }
            let message = localizer.error(appError.code, field: appError.field, params: appError.params)
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/health" || wantsJSON(request) {
                let details = appError.all.count > 1
                    ? appError.all.map { ErrorDTO.Detail(code: $0.code, message: localizer.error($0.code, field: $0.field, params: $0.params), field: $0.field) }
                    : nil
                var response = try JSONOutput.response(ErrorDTO(error: .init(code: appError.code, message: message, field: appError.field, errors: details)),
                                                       status: appError.status)
                response.headers.append(contentsOf: appError.headers)
                return response
            }
            var response = pages.errorPage(status: appError.status, message: message, request: request, context: context)
            response.headers.append(contentsOf: appError.headers)
            return response
        }
    }

    private func wantsJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}
