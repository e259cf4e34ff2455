//! Workspace roles and the permission matrix: the single place that decides whether a
//! member (or an API token acting with a role) may do an action.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Agent,
    Admin,
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Agent, Role::Viewer];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "owner" => Some(Self::Owner),
            "admin" => Some(Self::Admin),
            "agent" => Some(Self::Agent),
            "viewer" => Some(Self::Viewer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Agent => "agent",
            Self::Viewer => "viewer",
        }
    }

    /// Roles an API token may carry: a token never owns a workspace.
    pub fn allowed_for_token(self) -> bool {
        self != Self::Owner
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a member can do inside a workspace. New features add variants here and a row
/// in [`allows`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    ViewWorkspace,
    RenameWorkspace,
    ViewMembers,
    InviteMembers,
    ChangeRoles,
    RemoveMembers,
    ManageApiTokens,
    ViewAudit,
    /// Reply to customers (inbox, later issues).
    SendMessages,
    DeleteWorkspace,
    /// See the inbox: channels (never their secrets), threads, messages, contacts, consent.
    ViewInbox,
    /// Connect, change and disable channels.
    ManageChannels,
    /// Change a thread's status, assignee and labels; add private notes.
    TriageThreads,
    /// Edit contacts.
    EditContacts,
    /// Workspace settings: business hours, the away reply, the assistant.
    ManageSettings,
    /// See bookings, the catalog and free slots.
    ViewBookings,
    /// Book, confirm, decline, cancel, move bookings and record attendance.
    ManageBookings,
    /// Change the catalog: services, resources and their hours, extras, questions, coupons.
    ManageCatalog,
    /// See payments, their refunds, disputes and events; ask a customer to pay.
    ViewPayments,
    /// Money actions: connect a payment account, record a manual payment, refund.
    ManagePayments,
    /// See the workspace's cloud phones, their state, usage and activity.
    ViewDevices,
    /// Start, stop and restart cloud phones; take a device's control lease.
    UseDevices,
    /// Add, reset and delete cloud phones; the phones settings (idle stop, daily cap).
    ManageDevices,
    /// Data-subject requests: see them, verify the person, fulfil (export, erase, restrict…)
    /// or refuse them.
    HandlePrivacy,
}

impl Action {
    pub const ALL: [Action; 24] = [
        Action::ViewWorkspace,
        Action::RenameWorkspace,
        Action::ViewMembers,
        Action::InviteMembers,
        Action::ChangeRoles,
        Action::RemoveMembers,
        Action::ManageApiTokens,
        Action::ViewAudit,
        Action::SendMessages,
        Action::DeleteWorkspace,
        Action::ViewInbox,
        Action::ManageChannels,
        Action::TriageThreads,
        Action::EditContacts,
        Action::ManageSettings,
        Action::ViewBookings,
        Action::ManageBookings,
        Action::ManageCatalog,
        Action::ViewPayments,
        Action::ManagePayments,
        Action::ViewDevices,
        Action::UseDevices,
        Action::ManageDevices,
        Action::HandlePrivacy,
    ];
}

/// The permission matrix.
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match action {
        ViewWorkspace | ViewMembers | ViewInbox | ViewBookings => true,
        ViewPayments | ViewDevices | UseDevices => role >= Role::Agent,
        SendMessages | TriageThreads | EditContacts | ManageBookings => role >= Role::Agent,
        RenameWorkspace | InviteMembers | ChangeRoles | RemoveMembers | ManageApiTokens | ViewAudit
        | ManageChannels | ManageSettings | ManageCatalog | ManagePayments | ManageDevices | HandlePrivacy => {
            role >= Role::Admin
        }
        DeleteWorkspace => role == Role::Owner,
    }
}

/// Why a membership change is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembershipRefusal {
    Forbidden,
    /// Only owners grant or take away the owner role.
    OwnerOnly,
    /// The workspace would be left without an owner.
    LastOwner,
}

/// May `actor` move a member from `current` to `new` (`None` = remove)? `owners` counts the
/// workspace's owners now.
pub fn check_membership_change(
    actor: Role,
    current: Role,
    new: Option<Role>,
    owners: usize,
) -> Result<(), MembershipRefusal> {
    let action = if new.is_some() { Action::ChangeRoles } else { Action::RemoveMembers };
    if !allows(actor, action) {
        return Err(MembershipRefusal::Forbidden);
    }
    let touches_owner = current == Role::Owner || new == Some(Role::Owner);
    if touches_owner && actor != Role::Owner {
        return Err(MembershipRefusal::OwnerOnly);
    }
    if current == Role::Owner && new != Some(Role::Owner) && owners <= 1 {
        return Err(MembershipRefusal::LastOwner);
    }
    Ok(())
}

/// May `actor` invite someone with `role`? Admins invite up to admin, owners anything.
pub fn may_invite(actor: Role, role: Role) -> bool {
    allows(actor, Action::InviteMembers) && (role != Role::Owner || actor == Role::Owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MembershipRefusal::*;
    use Role::*;

    #[test]
    fn matrix_rows() {
        let table = [
            (Action::ViewWorkspace, [true, true, true, true]),
            (Action::SendMessages, [true, true, true, false]),
            (Action::InviteMembers, [true, true, false, false]),
            (Action::ManageApiTokens, [true, true, false, false]),
            (Action::ViewAudit, [true, true, false, false]),
            (Action::ManageSettings, [true, true, false, false]),
            (Action::DeleteWorkspace, [true, false, false, false]),
            (Action::ViewBookings, [true, true, true, true]),
            (Action::ManageBookings, [true, true, true, false]),
            (Action::ManageCatalog, [true, true, false, false]),
            (Action::ViewPayments, [true, true, true, false]),
            (Action::ManagePayments, [true, true, false, false]),
            (Action::ViewDevices, [true, true, true, false]),
            (Action::UseDevices, [true, true, true, false]),
            (Action::ManageDevices, [true, true, false, false]),
            (Action::HandlePrivacy, [true, true, false, false]),
        ];
        for (action, expect) in table {
            for (role, want) in Role::ALL.into_iter().zip(expect) {
                assert_eq!(allows(role, action), want, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn last_owner_cannot_be_removed_or_demoted() {
        assert_eq!(check_membership_change(Owner, Owner, None, 1), Err(LastOwner));
        assert_eq!(check_membership_change(Owner, Owner, Some(Admin), 1), Err(LastOwner));
        assert_eq!(check_membership_change(Owner, Owner, None, 2), Ok(()));
    }

    #[test]
    fn admins_cannot_touch_owners_and_agents_cannot_manage() {
        assert_eq!(check_membership_change(Admin, Owner, None, 2), Err(OwnerOnly));
        assert_eq!(check_membership_change(Admin, Agent, Some(Owner), 1), Err(OwnerOnly));
        assert_eq!(check_membership_change(Admin, Agent, Some(Viewer), 1), Ok(()));
        assert_eq!(check_membership_change(Agent, Viewer, None, 1), Err(Forbidden));
        assert!(may_invite(Admin, Agent) && !may_invite(Admin, Owner) && !may_invite(Agent, Viewer));
    }
}
