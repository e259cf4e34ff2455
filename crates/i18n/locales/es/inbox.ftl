# inbox
# Las palabras propias de la bandeja de entrada; su título, pestañas de estado, filtros y
# editor de respuesta están en main.ftl.

## La lista de conversaciones.
inbox-notify-enable = Activar notificaciones
inbox-filter-conversations = Filtrar conversaciones
inbox-status = Estado
inbox-assigned-to = Asignada a
inbox-channel = Canal
inbox-search-label = Buscar
inbox-no-channel = Aún no hay ningún canal.
inbox-no-channel-hint = Conecta un chat web, WhatsApp, Instagram o Telegram y las conversaciones llegarán aquí.
inbox-connect-channel = Conectar un canal
inbox-conversations = Conversaciones
inbox-older = Conversaciones anteriores

## El estado de una conversación (las pestañas son inbox-status-… en main.ftl).
inbox-state-open = abierta
inbox-state-pending = pendiente
inbox-state-snoozed = pospuesta
inbox-state-resolved = resuelta

## Clientes de los que el canal no sabe nada.
inbox-unnamed-whatsapp = Cliente de WhatsApp
inbox-unnamed-instagram = Cliente de Instagram
inbox-unnamed-telegram = Cliente de Telegram
inbox-unnamed-webchat = Visitante del chat web

## Una conversación.
inbox-back-to-list = Volver a las conversaciones
inbox-wrote = escribió { $ago }
inbox-messages = Mensajes
inbox-file = archivo
inbox-edited = editado
inbox-reply = Respuesta
inbox-window-closes = La ventana de respuesta se cierra en { $time }.
inbox-no-window = Este canal no tiene ventana de respuesta.
inbox-message-to = Mensaje para { $name }
inbox-remaining-days = { $days } días
inbox-remaining-hours = { $hours } h { $minutes } min
inbox-remaining-minutes = { $minutes } min
inbox-removed-channel = canal eliminado
inbox-sender-former = Un antiguo miembro
inbox-sender-auto = Enviado automáticamente
inbox-sender-team = Tu equipo

## La entrega de un mensaje saliente.
inbox-delivery-received = recibido
inbox-delivery-queued = en cola
inbox-delivery-sent = enviado
inbox-delivery-delivered = entregado
inbox-delivery-read = leído
inbox-delivery-failed = fallido
inbox-failure-unknown-outcome = El servidor se detuvo mientras enviaba; consulta con el cliente antes de volver a enviarlo.
inbox-failure-provider-unavailable = No se pudo contactar con el proveedor tras varios intentos.
inbox-failure-other = No entregado ({ $code }).

## Qué es un mensaje sin texto.
inbox-content-text = texto
inbox-content-image = imagen
inbox-content-audio = audio
inbox-content-video = vídeo
inbox-content-document = documento
inbox-content-sticker = sticker
inbox-content-location = ubicación
inbox-content-contacts = contactos
inbox-content-interactive = interactivo
inbox-content-reaction = reacción
inbox-content-unsupported = no compatible

## Un archivo de un mensaje que aún no está guardado.
inbox-media-pending = pendiente
inbox-media-stored = guardado
inbox-media-failed = fallido

## Sobre la conversación: el contacto, el consentimiento, otras conversaciones.
inbox-about = Sobre esta conversación
inbox-contact = Contacto
inbox-phone = Teléfono
inbox-email = Email
inbox-blocked = Bloqueado
inbox-identity-phone = teléfono
inbox-identity-user = usuario
inbox-identity-visitor = visitante
inbox-identity-bsuid = BSUID
inbox-identity-igsid = IGSID
inbox-consent = Consentimiento
inbox-opted-out = se dio de baja
inbox-may-answer = se le puede responder
inbox-consent-history = Historial ({ $count })
inbox-consent-opt-out = baja
inbox-consent-opt-in = alta
inbox-consent-source-keyword = palabra clave
inbox-consent-source-user-preferences = preferencias del cliente
inbox-consent-source-telegram-blocked = bloqueó el bot de Telegram
inbox-consent-source-telegram-unblocked = desbloqueó el bot de Telegram
inbox-consent-source-provider = proveedor
inbox-consent-source-merge = unión de contactos
inbox-other-conversations = Otras conversaciones

## Estado y asignación, notas privadas.
inbox-triage = Estado y asignación
inbox-snooze-for = Posponer durante (si se pospone)
inbox-snooze-hours = { $count ->
    [one] { $count } hora
   *[other] { $count } horas
}
inbox-snooze-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
inbox-snooze-weeks = { $count ->
    [one] { $count } semana
   *[other] { $count } semanas
}
inbox-snoozed-until = Pospuesta hasta { $time }.
inbox-assignee = Asignada a
inbox-nobody = Nadie
inbox-labels = Etiquetas (separadas por comas)
inbox-save = Guardar
inbox-notes = Notas privadas
inbox-note-label = Nota (solo la ve tu equipo)
inbox-add-note = Añadir nota

## Notificaciones de escritorio de mensajes nuevos de clientes.
inbox-notice-new-message = Mensaje nuevo
inbox-notice-attachment = Ha enviado un archivo adjunto

## El email cuando se asigna una conversación a un agente que no está conectado.
inbox-mail-a-customer = Un cliente
inbox-mail-assigned-subject = { $workspace }: te han asignado a { $contact }
inbox-mail-assigned-text =
    Te han asignado una conversación en { $workspace }: { $contact } en { $channel }.
    {""}
    Ábrela: { $link }
    {""}
    Recibes este email porque no estabas conectado. Puedes cambiarlo en Cuenta, Notificaciones.

## Canales.
inbox-channels-empty-hint = Empieza por el chat web de abajo (un minuto) o conecta WhatsApp, Instagram o Telegram.
inbox-refused = { $name } rechazó { $count ->
    [one] { $count } sitio
   *[other] { $count } sitios
} en los últimos 7 días:
inbox-refused-times = { $count ->
    [one] { $count } vez
   *[other] { $count } veces
} (la última { $ago })
inbox-refused-hint = Si un sitio es tuyo, añade su dirección a los sitios permitidos del canal.
inbox-name = Nombre
inbox-kind = Tipo
inbox-account = Cuenta
inbox-webhook-or-embed = Webhook o código para insertar
inbox-channel-state = Estado
inbox-channel-kind-whatsapp = whatsapp
inbox-channel-kind-instagram = instagram
inbox-channel-kind-telegram = telegram
inbox-channel-kind-webchat = chat web
inbox-channel-disabled = desactivado
inbox-channel-active = activo
inbox-enable = Activar
inbox-disable = Desactivar
inbox-disable-confirm = ¿Desactivar { $name }? Los mensajes de los clientes por este canal dejarán de llegar hasta que lo vuelvas a activar.
inbox-connect-whatsapp-title = Conectar un número de WhatsApp
inbox-phone-number-id = ID del número de teléfono
inbox-waba-id = ID de la cuenta de WhatsApp Business
inbox-meta-app-id = ID de la app de Meta
inbox-access-token = Token de acceso
inbox-app-secret = Clave secreta de la app
inbox-verify-token-hint = Token de verificación (lo eliges tú; pégalo también en el panel de Meta)
inbox-connect-whatsapp = Conectar WhatsApp
inbox-connect-instagram-title = Conectar una cuenta de Instagram
inbox-instagram-account-id = ID de la cuenta profesional de Instagram
inbox-verify-token = Token de verificación
inbox-connect-instagram = Conectar Instagram
inbox-connect-telegram-title = Conectar un bot de Telegram
inbox-bot-token-hint = Token del bot (de @BotFather)
inbox-connect-telegram = Conectar Telegram
inbox-add-webchat-title = Añadir un chat web a tu sitio
inbox-origins = La dirección de tu sitio (origen), p. ej. https://example.com
inbox-create-webchat = Crear chat web
inbox-deliveries-waiting = Entregas pendientes de procesar en este servidor: { $count } · comprobado { $time }
# Un formulario de canal rechazado: el campo y el motivo.
inbox-field-error = { $field }: { $message }
inbox-field-kind = Tipo
inbox-field-name = Nombre
inbox-field-allowed-origins = Dirección de tu sitio
inbox-field-phone-number-id = ID del número de teléfono
inbox-field-waba-id = ID de la cuenta de WhatsApp Business
inbox-field-instagram-account-id = ID de la cuenta profesional de Instagram
inbox-field-app-id = ID de la app de Meta
inbox-field-access-token = Token de acceso
inbox-field-app-secret = Clave secreta de la app
inbox-field-verify-token = Token de verificación
inbox-field-bot-token = Token del bot

## Respuestas guardadas.
inbox-saved-hint = En una conversación, escribe / y el atajo para insertar una. Variables: { $variables }.
inbox-saved-var-first-name = el nombre de pila del contacto
inbox-saved-var-name = el nombre completo del contacto
inbox-saved-var-business = el nombre del espacio de trabajo
inbox-saved-empty = Aún no hay respuestas guardadas.
inbox-saved-empty-hint = Escribe una vez las respuestas que das cada día y luego insértalas con / en cualquier conversación.
inbox-saved-delete-confirm = ¿Eliminar la respuesta guardada /{ $shortcut }?
inbox-delete = Eliminar
inbox-saved-add-title = Añadir una respuesta guardada
inbox-saved-shortcut = Atajo
inbox-saved-shortcut-example = horario
inbox-saved-body-example = Hola, {"{{"}first_name{"}}"}: abrimos de martes a sábado, de 9 a 18.
inbox-saved-add = Añadir respuesta guardada

## Webhooks salientes.
inbox-webhooks-hint = Tus endpoints reciben { $created }, { $status } y { $updated } en JSON con los ids (consulta los detalles con la API). Cada petición va firmada: { $signature }. Compruébala, y que t sea reciente, antes de fiarte del contenido. Las entregas fallidas se reintentan durante unas tres horas.
inbox-webhooks-signature = Frontdesk-Signature: t=<hora unix>,v1=<HMAC-SHA256 de "t.body" con la clave secreta, en hex>
inbox-webhooks-empty = Aún no hay webhooks.
inbox-webhooks-empty-hint = Añade un endpoint abajo para que tus propios sistemas sepan de los mensajes nuevos.
inbox-webhook-events = Eventos: { $events }
inbox-webhook-secret = Clave secreta de firma
inbox-webhook-deliveries = Entregas recientes
inbox-webhook-none = Ninguna todavía.
inbox-webhook-when = Cuándo
inbox-webhook-event = Evento
inbox-webhook-attempts = Intentos
inbox-webhook-last-answer = Última respuesta
inbox-hook-pending = pendiente
inbox-hook-delivered = entregada
inbox-hook-failed = fallida
inbox-webhook-delete-confirm = ¿Eliminar el webhook a { $url }? Las entregas se detienen de inmediato.
inbox-webhook-delete = Eliminar webhook
inbox-webhook-add-title = Añadir un webhook
inbox-webhook-url = URL del endpoint
inbox-webhook-add = Añadir webhook

## Horario comercial y respuesta de ausencia.
inbox-hours-title = Horario comercial
inbox-hours-open-until = Abierto ahora, hasta las { $time }.
inbox-hours-open = Abierto ahora.
inbox-hours-closed-opens = Cerrado ahora; abre el { $day } a las { $time }.
inbox-hours-closed = Cerrado ahora.
inbox-hours-closed-always = Cerrado (sin horario de apertura).
inbox-hours-none = No hay horario comercial: la respuesta de ausencia está desactivada.
inbox-hours-tz-hint = La zona horaria de tu negocio (la misma que en el { $profile }).
inbox-hours-profile-link = perfil del negocio
inbox-hours-hint = Deja vacías las horas de los días que cierras. El segundo tramo es para una pausa (por ejemplo, 16:00–20:00).
inbox-hours-day = Día
inbox-hours-opens = Abre
inbox-hours-closes = Cierra
inbox-hours-opens-again = Vuelve a abrir
inbox-hours-closes-again = Vuelve a cerrar
inbox-hours-day-opens = Apertura del { $day }
inbox-hours-day-closes = Cierre del { $day }
inbox-hours-day-opens-again = Segunda apertura del { $day }
inbox-hours-day-closes-again = Segundo cierre del { $day }
inbox-hours-closed-dates = Días cerrados (uno por línea, AAAA-MM-DD)
inbox-hours-away-enabled = Responder a los clientes que escriben fuera de tu horario (una vez por conversación hasta que vuelvas a abrir)
inbox-hours-away-hint = Puedes usar {"{{"}first_name{"}}"}, {"{{"}name{"}}"} y {"{{"}business{"}}"}. Se envía como cualquier respuesta: nunca después de una baja y solo dentro de la ventana de respuesta del canal.
inbox-hours-save = Guardar horario
inbox-hours-remove-confirm = ¿Eliminar tu horario comercial? La respuesta de ausencia se desactiva y el asistente dejará de saber cuándo abres.
inbox-hours-remove-label = Eliminar horario
inbox-hours-remove = Eliminar horario comercial
