# mail

# Confirming an address, resetting a password.
mail-verify-subject = { $product }: confirma tu dirección de correo
mail-verify-intro = Confirma tu dirección de correo para terminar de crear tu cuenta:
mail-reset-subject = { $product }: restablece tu contraseña
mail-reset-intro = Alguien (esperamos que tú) ha pedido restablecer tu contraseña. Elige una nueva aquí:
mail-link-expiry = { $minutes ->
    [one] El enlace solo funciona una vez y caduca en { $minutes } minuto. Si no lo has pedido tú, ignora este correo.
   *[other] El enlace solo funciona una vez y caduca en { $minutes } minutos. Si no lo has pedido tú, ignora este correo.
}

# An invitation to a workspace.
mail-invite-subject = Invitación a { $workspace }
mail-invite-text = Te han invitado a unirte al espacio de trabajo «{ $workspace }» en { $product } como { $role }.
mail-invite-accept = Acepta la invitación aquí:
mail-invite-expiry = { $days ->
    [one] El enlace solo funciona una vez y caduca en { $days } día.
   *[other] El enlace solo funciona una vez y caduca en { $days } días.
}
