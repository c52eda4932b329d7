import Foundation
import MediaOpsDomain

extension ContentController {
    struct QueuePage { var rows: [Row]; var pagination: Pagination }
}
