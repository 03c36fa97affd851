extension RootLayout {
    /// The lock file that serialises apply, install and rollback on one workspace.
    func workspaceLock(_ workspace: String) -> String {
        locks + "/workspace-" + UpdateRecord.makeID(workspace: workspace, plugin: "lock", targetSHA: nil) + ".lock"
    }
}
