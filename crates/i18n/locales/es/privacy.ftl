# privacy
## Solicitudes de datos personales: la página pública, la del solicitante, la de los propietarios, correos.
privacy-nav = Privacidad
privacy-kind = { $kind ->
    [access] Ver mis datos
    [export] Una copia de mis datos
    [rectify] Corregir mis datos
    [erase] Borrar mis datos
    [restrict] Limitar el uso de mis datos
    [object] Oponerme al uso de mis datos
    [withdraw_consent] Retirar mi consentimiento
   *[other] { $kind }
}
privacy-status = { $status ->
    [received] Recibida
    [verified] Verificada
    [in_progress] En curso
    [done] Atendida
    [refused] Denegada
    [expired] Caducada
   *[other] { $status }
}
privacy-page-title = Tus datos personales
privacy-page-intro = Pide a { $business } una copia de los datos que tiene sobre ti, que los corrija o los borre, que limite su uso o dejar de consentirlo, u oponerte a él. Responde en un plazo de 30 días.
privacy-page-intro-any = Pide a este negocio una copia de los datos que tiene sobre ti, que los corrija o los borre, que limite su uso o dejar de consentirlo, u oponerte a él. Responde en un plazo de 30 días.
privacy-kind-label = ¿Qué pides?
privacy-email-label = Tu correo electrónico
privacy-email-hint = Si el negocio tiene esta dirección, te enviamos un código; si no, el negocio comprobará tu identidad de otra forma.
privacy-details-label = Detalles (opcional)
privacy-send = Enviar la solicitud
privacy-sent = Gracias, tu solicitud se ha enviado. Si esta dirección consta, te llegarán un código y un enlace a tu solicitud. El negocio responde en un plazo de 30 días.
privacy-request-title = Tu solicitud de privacidad
privacy-kind-label-short = Solicitud
privacy-status-label = Estado
privacy-due = Respuesta antes del
privacy-code-label = El código de 6 cifras del correo
privacy-verify = Confirmar
privacy-new-code = Enviar un código nuevo
privacy-verified-note = Gracias: sabemos que eres tú. El negocio responde antes de la fecha indicada.
privacy-manual-note = El negocio comprobará tu identidad y responderá antes de la fecha indicada.
privacy-download = Descargar tus datos (ZIP)
privacy-reason = Motivo
privacy-erased-note = Tus datos se han borrado.
privacy-restricted-banner = Este cliente pidió limitar el uso de sus datos: sin borradores de IA ni respuestas automáticas.
privacy-erased-banner = Los datos personales de este contacto se borraron a petición suya.
privacy-title = Solicitudes de privacidad
privacy-none = Aún no hay solicitudes.
privacy-public-link = Tus clientes hacen sus solicitudes en { $link }
privacy-role-label = Quién decide sobre los datos de tus clientes
privacy-role = { $role ->
    [controller] El operador de este servidor
   *[processor] Este negocio (Frontdesk los trata por su cuenta)
}
privacy-contact-unnamed = (sin nombre)
privacy-role-save = Guardar
privacy-col-received = Recibida
privacy-col-kind = Solicitud
privacy-col-status = Estado
privacy-col-due = Plazo
privacy-col-contact = Contacto
privacy-overdue = fuera de plazo
privacy-verify-how = Cómo comprobaste su identidad
privacy-verify-button = Marcar como verificada
privacy-contact-id = Id del contacto
privacy-fulfil = Atender
privacy-refuse = Denegar
privacy-note = Nota o motivo
privacy-lift = Levantar la limitación
privacy-export-link = Descargar la exportación
privacy-admin-title = Solicitudes de privacidad fuera de plazo
privacy-admin-none = Ninguna solicitud está fuera de plazo.
privacy-from = { $business } vía Frontdesk
privacy-code-subject = { $business }: tu código es { $code }
privacy-code-body = Hola:

    Hemos recibido tu solicitud a { $business } ({ $kind }). Para confirmar que eres tú, escribe este código en la página de tu solicitud antes de { $minutes } minutos:

    { $code }

    Tu solicitud: { $link }

    Si no lo pediste, ignora este correo.
privacy-chat-code = Sobre tu solicitud de privacidad a { $business }: para confirmar que eres tú, abre { $link } y escribe el código { $code } antes de { $minutes } minutos.
privacy-received-subject = { $business }: hemos recibido tu solicitud de privacidad
privacy-received-body = Hola:

    Hemos recibido tu solicitud a { $business } ({ $kind }). El negocio comprobará tu identidad y responderá en un plazo de 30 días.

    Tu solicitud: { $link }
privacy-done-subject = { $business }: tu solicitud de privacidad está atendida
privacy-done-body = Hola:

    { $business } ha atendido tu solicitud ({ $kind }).

    Consúltala aquí: { $link }
privacy-owner-subject = { $what ->
    [verified] { $business }: se ha verificado una solicitud de privacidad ({ $kind })
    [due_7] { $business }: una solicitud de privacidad vence en 7 días ({ $kind })
    [due_2] { $business }: una solicitud de privacidad vence en 2 días ({ $kind })
   *[other] { $business }: una nueva solicitud de privacidad ({ $kind })
}
privacy-owner-body = Hola:

    { $what ->
        [verified] La persona de una solicitud de privacidad a { $business } ha demostrado su identidad
        [due_7] Una solicitud de privacidad a { $business } vence en 7 días
        [due_2] Una solicitud de privacidad a { $business } vence en 2 días
       *[other] Alguien ha hecho una solicitud de privacidad a { $business }
    } ({ $kind }). Debe atenderse antes del { $due }; la plataforma nunca la atiende por ti.

    Tus solicitudes de privacidad: { $link }
privacy-account-link = Los datos de tu cuenta: una copia, una corrección, una supresión
privacy-account-title = Los datos de tu cuenta
privacy-account-intro = Pide al operador de Frontdesk, responsable de los datos de tu cuenta, una copia, que los corrija o los suprima, que limite su uso, oponerte a él o retirar tu consentimiento. Suprimirlos cierra tu cuenta: se cierran todas tus sesiones y ya no podrás entrar. Has iniciado sesión, así que sabemos que eres tú; la respuesta llega en un plazo de 30 días.
privacy-account-request = Un titular de cuenta
privacy-admin-accounts = Solicitudes de titulares de cuentas
privacy-admin-overdue = Solicitudes fuera de plazo
privacy-account-subject = Una solicitud de privacidad sobre una cuenta ({ $kind })
privacy-account-body = Hola:

    Un titular de cuenta ha hecho una solicitud de privacidad ({ $kind }). Eres responsable de los datos de las cuentas: atiéndela antes del { $due }.

    Solicitudes: { $link }
privacy-account-done-subject = Tu solicitud de privacidad está atendida
privacy-account-done-body = Hola:

    Tu solicitud sobre los datos de tu cuenta ({ $kind }) está atendida.

    Consúltala aquí: { $link }
