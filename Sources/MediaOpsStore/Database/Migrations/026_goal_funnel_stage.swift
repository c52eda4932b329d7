import Foundation
import MediaOpsDomain
import SQLKit

extension Migrations {
    /// A goal may count a stage of one of the team's funnels (leads, orders …):
    /// the funnel and the stage's position. No foreign key: a deleted funnel
    /// leaves the goal readable, its progress saying the funnel is gone.
    static let m026_goal_funnel_stage = Migration(version: 26, name: "goals on a funnel stage", statements: [
        "ALTER TABLE goals ADD COLUMN funnel_id TEXT",
        "ALTER TABLE goals ADD COLUMN funnel_position INTEGER",
    ])
}
