# mail

# Confirming an address, resetting a password.
mail-verify-subject = { $product }: Confirm your email address
mail-verify-intro = Confirm your email address to finish creating your account:
mail-reset-subject = { $product }: Reset your password
mail-reset-intro = Someone (hopefully you) asked to reset your password. Choose a new one here:
mail-link-expiry = { $minutes ->
    [one] The link works once and expires in { $minutes } minute. If you did not ask for this, ignore this email.
   *[other] The link works once and expires in { $minutes } minutes. If you did not ask for this, ignore this email.
}

# An invitation to a workspace.
mail-invite-subject = Invitation to { $workspace }
mail-invite-text = You have been invited to join the workspace "{ $workspace }" on { $product } as { $role }.
mail-invite-accept = Accept the invitation here:
mail-invite-expiry = { $days ->
    [one] The link works once and expires in { $days } day.
   *[other] The link works once and expires in { $days } days.
}

# Invitations that name who sent them.
mail-invite-subject-by = { $inviter } invited you to { $workspace }
mail-invite-text-by = { $inviter } invited you to join the workspace "{ $workspace }" on { $product } as { $role }.

# Account changes and sign-in by link.
mail-email-change-subject = { $product }: Confirm your new email address
mail-email-change-intro = Someone (hopefully you) asked to use { $email } for their account. Confirm it here:
mail-email-change-expiry = The link works once and expires in 24 hours. If you did not ask for this, ignore this email.
mail-magic-subject = { $product }: Your sign-in link
mail-magic-intro = Sign in with this link (two-factor authentication still applies):

# Security alerts.
mail-alert-subject-new-device = { $product }: A new sign-in to your account
mail-alert-subject-password = { $product }: Your password was changed
mail-alert-subject-email-asked = { $product }: A change of your email address was asked
mail-alert-subject-email-changed = { $product }: Your email address was changed
mail-alert-subject-2fa-off = { $product }: Two-factor authentication was turned off
mail-alert-subject-api-token = { $product }: A new API token
mail-alert-subject-recovery = { $product }: A recovery code was used
mail-alert-subject-google = { $product }: A Google account now signs in to your account
mail-alert-subject-in-use = { $product }: Someone tried to use your email address
mail-alert-new-device = Your account was signed in to from a device it had not used before: { $device }, from { $ip } (device time zone { $zone }), at { $when }.
mail-alert-password = Your password was changed at { $when }. Every other device was signed out.
mail-alert-email-asked = Someone signed in to your account asked to move it to { $email }. It moves only when that address confirms.
mail-alert-email-changed = Your account's email address is now { $email }. This address no longer signs in.
mail-alert-2fa-off = Two-factor authentication was turned off for your account at { $when }.
mail-alert-api-token = A new API token, "{ $name }", was created for the workspace { $workspace }.
mail-alert-recovery = A recovery code was used to sign in to your account. { $left ->
    [one] { $left } code is left.
   *[other] { $left } codes are left.
}
mail-alert-google = The Google account { $email } can now sign in to your account.
mail-alert-in-use = Someone tried to create an account, or to move another account, to this email address. Nothing changed. If it was you, sign in or reset your password instead.
mail-alert-review = Review your devices and settings:
mail-alert-not-you = If this was not you, reset your password now:
mail-google-link-subject = { $product }: Connect your Google account
mail-google-link-intro = Someone (hopefully you) signed in with the Google account { $email }, which has the same address as your account. To let it sign in to your account, confirm here:
