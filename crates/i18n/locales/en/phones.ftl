# phones
phones-nav = Phones
phones-title = Cloud phones
phones-intro = Android phones your team runs from the operator's providers. Each minute a phone runs is metered.
phones-tab-warning = Closing this tab does not stop a phone or its billing: stop it when you are done. A phone nobody watches is stopped after { $minutes } minutes.
phones-none = No phones yet.
phones-name = Name
phones-status = State
phones-provider = Provider
phones-tags = Tags
phones-tags-hint = Separate tags with commas.
phones-notes = Notes
phones-profile = Profile
phones-add = Add a phone
phones-no-profiles = The operator offers no phone profiles yet.
phones-usage = Minutes per day
phones-usage-none = No minutes recorded in the last 31 days.
phones-usage-chart = Minutes the phones ran per day, last 31 days
phones-day = Day
phones-minutes = Minutes
phones-capped = Past the daily cap
phones-settings = Phone settings
phones-idle = Stop an unwatched phone after (minutes)
phones-cap = Daily cap per phone (minutes)
phones-cap-hint = Minutes past the cap in a day are recorded but not charged. Leave empty for no cap.
phones-save = Save
phones-state = { $state ->
    [provisioning] Being made
    [stopped] Stopped
    [starting] Starting
    [running] Running
    [stopping] Stopping
    [restarting] Restarting
    [resetting] Resetting
    [failed] Failed
    [expired] Expired
    [deleting] Deleting
    [deleted] Deleted
   *[other] Unknown
}
phones-op = { $op ->
    [add] being added
    [start] starting
    [stop] stopping
    [restart] restarting
    [reset] resetting
   *[other] being deleted
}
phones-detail = Why
phones-last-error = Last refusal
phones-running-since = Running since
phones-minutes-run = { $minutes } min recorded
phones-remote = Remote view
phones-open-remote = Open the provider's remote view
phones-leased = { $name } is driving this phone until
phones-start = Start
phones-stop = Stop
phones-restart = Restart
phones-reset = Reset
phones-delete = Delete
phones-lease = Take control
phones-release = Give control back
phones-confirm = This cannot be undone. Go on?
phones-activity = Activity
phones-when = When
phones-who = Who
phones-what = What
phones-from = From
phones-system = Frontdesk
phones-provider-status = { $status ->
    [ok] Working
    [auth_failed] Credentials refused
   *[other] Unreachable
}
phones-admin-title = Phone providers
phones-admin-providers = Providers
phones-admin-no-providers = No providers yet: add a GeeLark account or an ADB host.
phones-admin-kind = Kind
phones-admin-endpoint = Endpoint
phones-admin-app-id = App id (GeeLark)
phones-admin-key = API key (GeeLark)
phones-admin-add-provider = Add the provider
phones-admin-sync = Sync the pool
phones-admin-callback = Callback URL:
phones-admin-profiles = Profiles
phones-admin-android = Android version
phones-admin-region = Region
phones-admin-add-profile = Add the profile
phones-admin-devices = Devices
phones-admin-held-by = Workspace
phones-admin-pool = In the pool
phones-no-credit-subject = { $workspace }: { $device } was stopped for lack of credit
phones-no-credit-body = Hello,

    The cloud phone { $device } of { $workspace } was stopped because the workspace's credit no longer covers its next minute.

    Top up the wallet, then start it again: { $link }
