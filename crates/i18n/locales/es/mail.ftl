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

# Invitations that name who sent them.
mail-invite-subject-by = { $inviter } te ha invitado a { $workspace }
mail-invite-text-by = { $inviter } te ha invitado a unirte al espacio de trabajo «{ $workspace }» en { $product } como { $role }.

# Account changes and sign-in by link.
mail-email-change-subject = { $product }: Confirma tu nueva dirección de correo
mail-email-change-intro = Alguien (esperamos que tú) ha pedido usar { $email } para su cuenta. Confírmalo aquí:
mail-email-change-expiry = El enlace funciona una vez y caduca en 24 horas. Si no lo has pedido tú, ignora este correo.
mail-magic-subject = { $product }: Tu enlace para entrar
mail-magic-intro = Entra con este enlace (la verificación en dos pasos sigue aplicándose):

# Security alerts.
mail-alert-subject-new-device = { $product }: Un nuevo inicio de sesión en tu cuenta
mail-alert-subject-password = { $product }: Se ha cambiado tu contraseña
mail-alert-subject-email-asked = { $product }: Se ha pedido cambiar tu dirección de correo
mail-alert-subject-email-changed = { $product }: Se ha cambiado tu dirección de correo
mail-alert-subject-2fa-off = { $product }: Se ha desactivado la verificación en dos pasos
mail-alert-subject-api-token = { $product }: Un nuevo token de API
mail-alert-subject-recovery = { $product }: Se ha usado un código de recuperación
mail-alert-subject-google = { $product }: Una cuenta de Google entra ahora en tu cuenta
mail-alert-subject-in-use = { $product }: Alguien ha intentado usar tu dirección de correo
mail-alert-new-device = Se ha entrado en tu cuenta desde un dispositivo que no había usado antes: { $device }, desde { $ip } (zona horaria del dispositivo { $zone }), el { $when }.
mail-alert-password = Tu contraseña se cambió el { $when }. Se ha cerrado la sesión en los demás dispositivos.
mail-alert-email-asked = Alguien con la sesión abierta en tu cuenta ha pedido pasarla a { $email }. Solo cambia cuando esa dirección lo confirme.
mail-alert-email-changed = La dirección de correo de tu cuenta es ahora { $email }. Esta dirección ya no sirve para entrar.
mail-alert-2fa-off = Se desactivó la verificación en dos pasos de tu cuenta el { $when }.
mail-alert-api-token = Se ha creado un nuevo token de API, «{ $name }», para el espacio de trabajo { $workspace }.
mail-alert-recovery = Se ha usado un código de recuperación para entrar en tu cuenta. { $left ->
    [one] Queda { $left } código.
   *[other] Quedan { $left } códigos.
}
mail-alert-google = La cuenta de Google { $email } puede entrar ahora en tu cuenta.
mail-alert-in-use = Alguien ha intentado crear una cuenta, o pasar otra cuenta, a esta dirección de correo. No ha cambiado nada. Si has sido tú, entra o restablece tu contraseña.
mail-alert-review = Revisa tus dispositivos y ajustes:
mail-alert-not-you = Si no has sido tú, restablece tu contraseña ahora:
mail-google-link-subject = { $product }: Conecta tu cuenta de Google
mail-google-link-intro = Alguien (esperamos que tú) ha entrado con la cuenta de Google { $email }, que tiene la misma dirección que tu cuenta. Para que pueda entrar en tu cuenta, confírmalo aquí:
