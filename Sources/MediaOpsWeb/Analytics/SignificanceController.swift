import Foundation
import Hummingbird

/// The significance calculator: is group A different from group B, and how
/// sure can we be? `POST /api/v1/analytics/significance` for integrations. A
/// computation with no data and no writes: it needs a sign-in and
/// `analytics.view` like the room's other reads.
struct SignificanceController {
    let pages: PageSupport

    func register(_ routes: Routes) {
        routes.post("/api/v1/analytics/significance", .permission(.analyticsView)) { request, context, _ in
            let input = try await JSONInput.read(request, context: context)
            let question = try SignificanceQuestion.read(input)
            let t = pages.localizer(context)
            let report = try SignificanceReport(question, result: try question.run(), t: t)
            return try JSONOutput.response(SignificanceDTO(report, t: t))
        }
    }
}
