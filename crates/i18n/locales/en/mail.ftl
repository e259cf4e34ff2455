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
