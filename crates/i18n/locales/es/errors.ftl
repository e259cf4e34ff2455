# errors
# Los textos de los códigos de AppError que se muestran en las páginas, `error-{código}` (`_` se
# escribe `-`). Cuando un código tiene varios mensajes en inglés, aquí va uno general.

# General.
error-internal = Algo ha fallado por nuestra parte; ya lo hemos registrado.
error-database-unavailable = La base de datos no responde; vuelve a intentarlo en un momento.
error-unauthenticated = Inicia sesión para continuar.
error-forbidden = No tienes permiso para hacer esto.
error-rate-limited = Demasiados intentos. Vuelve a intentarlo dentro de un momento.
error-not-found = No se ha encontrado lo que buscas.
error-not-found-api-token = No se ha encontrado el token de API.
error-not-found-channel = No se ha encontrado el canal.
error-not-found-contact = No se ha encontrado el contacto.
error-not-found-draft = No se ha encontrado el borrador.
error-not-found-file = No se ha encontrado el archivo.
error-not-found-invitation = No se ha encontrado la invitación.
error-not-found-logo = No se ha encontrado el logo.
error-not-found-member = No se ha encontrado al miembro.
error-not-found-saved-reply = No se ha encontrado la respuesta guardada.
error-not-found-session = No se ha encontrado la sesión.
error-not-found-thread = No se ha encontrado la conversación.
error-not-found-user = No se ha encontrado al usuario.
error-not-found-webhook = No se ha encontrado el webhook.
error-not-found-workspace = No se ha encontrado el espacio de trabajo.
error-required = Este campo es obligatorio.
error-too-long = El texto es demasiado largo.
error-too-many = Hay demasiados elementos.
error-invalid = No se permiten caracteres de control.
error-invalid-value = Ese valor no es válido.
error-invalid-query = Los parámetros de la consulta no son válidos.
error-invalid-cursor = El cursor no es válido.
error-invalid-time = Esa hora no es válida.
error-invalid-date = Esa fecha no es válida; usa AAAA-MM-DD.
error-out-of-range = Guarda los borradores de 1 a 365 días.
error-url-not-allowed = Esta URL no se puede usar.
error-insecure-url = Usa https: una dirección http sin cifrar solo se acepta para un host dentro de los rangos internos permitidos por el servidor ([network] allow_private).
error-invalid-idempotency-key = Usa de 1 a 255 caracteres ASCII visibles.
error-idempotency-key-reused = Esta Idempotency-Key ya se usó para otro mensaje.
error-invalid-token = El token de API falta, no es válido o se ha revocado.
error-workspace-required = Cambia antes a un espacio de trabajo o llama a la API con el token de ese espacio.
error-user-only = Las preferencias de notificación son de cada persona; inicia sesión en lugar de usar un token de API.

# Cuentas e inicio de sesión.
error-signup-closed = En este servidor solo puedes registrarte con una invitación.
error-adult-attestation-required = Confirma que tienes al menos 18 años.
error-invalid-email = Escribe una dirección de email válida.
error-email-taken = Ya existe una cuenta con este email.
error-email-not-verified = Confirma antes tu dirección de email: sigue el enlace que te hemos enviado o pide uno nuevo.
error-invalid-credentials = El email o la contraseña no son correctos.
error-invalid-password = Esa contraseña no es correcta.
error-password-too-short = Esa contraseña es demasiado corta.
error-password-too-long = Esa contraseña es demasiado larga.
error-password-too-weak = Esa contraseña es muy fácil de adivinar; prueba con varias palabras sin relación entre sí.
error-account-suspended = Esta cuenta está suspendida. Ponte en contacto con el operador del servidor.
error-link-invalid = Este enlace ha caducado o ya se ha usado. Pide uno nuevo.
error-invalid-code = Ese código no es correcto.
error-2fa-already-enabled = La verificación en dos pasos ya está activada.
error-2fa-not-started = Empieza antes a configurar la verificación en dos pasos.

# Espacios de trabajo, miembros e invitaciones.
error-workspace-suspended = El operador del servidor ha suspendido este espacio de trabajo.
error-last-owner = Un espacio de trabajo necesita al menos un propietario; haz propietario antes a otra persona.
error-already-member = Esta persona ya es miembro.
error-invalid-role = Elige un rol válido.
error-invitation-invalid = Este enlace de invitación no es válido.
error-invitation-used = Esta invitación ya se ha aceptado.
error-invitation-revoked = Esta invitación se ha retirado.
error-invitation-expired = Esta invitación ha caducado; pide una nueva.
error-invitation-email-mismatch = Esta invitación se envió a otra dirección de email; usa esa.

# Perfil del negocio y preferencias.
error-slug-taken = Otro negocio usa ese nombre; elige otro.
error-invalid-slug = Usa de 3 a 40 letras minúsculas, cifras y guiones (un guion solo entre letras o cifras).
error-reserved-slug = Ese nombre está reservado; elige otro.
error-unknown-time-zone = Elige una zona horaria válida.
error-unknown-country = Elige un país de la lista.
error-unknown-currency = Elige una moneda de la lista.
error-unknown-language = Elige idiomas de la lista.
error-invalid-colour = Usa un color como #1f6feb.
error-invalid-website = Usa la dirección completa, como https://example.com.
error-invalid-phone = Ese número de teléfono no es válido.
error-phone-needs-country = Añade el prefijo del país (+…) o indica el país de tu negocio.
error-logo-too-large = El logo puede ocupar hasta 512 KB.
error-unsupported-image = Usa una imagen PNG, JPEG o WebP.
error-invalid-theme = Elige sistema, claro u oscuro.
error-invalid-language = Elige inglés o español.

# Horario.
error-invalid-day = Ese día no es válido; usa mon, tue… sun.
error-invalid-range = La hora de apertura debe ser anterior a la de cierre.
error-overlapping-ranges = Los tramos de un mismo día se solapan.
error-hours-required = Configura el horario antes de activar la respuesta de ausencia.

# Conversaciones y respuestas.
error-invalid-status = Ese estado no es válido.
error-invalid-assignee = La persona asignada debe ser miembro de este espacio de trabajo.
error-invalid-label = Esa etiqueta no es válida.
error-in-the-past = Elige un momento futuro para posponerla.
error-invalid-reply-to = Cita un mensaje de esta conversación.
error-reply-to-not-sent = Ese mensaje aún no le ha llegado al cliente.
error-media-not-ready = Este archivo aún no se ha descargado del proveedor.
error-shortcut-taken = Otra respuesta guardada tiene este atajo.
error-unknown-variable = Esa variable no existe en las respuestas guardadas.

# Envío (por qué no se puede enviar un mensaje).
error-not-permitted = Tu rol no permite enviar mensajes en este espacio de trabajo.
error-channel-disabled = Este canal está desactivado.
error-contact-blocked = Este contacto está bloqueado.
error-contact-opted-out = El cliente se ha dado de baja (STOP). Tiene que volver a darse de alta antes de que puedas escribirle.
error-reply-only-no-inbound = Frontdesk solo responde a clientes que han escrito primero; este cliente no ha escrito por este canal.
error-reply-window-closed = El plazo para responder ha terminado: el último mensaje del cliente es demasiado antiguo para este canal.

# Archivos adjuntos.
error-attachment-too-large = El archivo es demasiado grande.
error-attachment-type-mismatch = El contenido del archivo no coincide con su tipo.
error-attachment-not-supported = En Instagram, las empresas solo pueden enviar imágenes.
error-caption-not-supported = Instagram no muestra texto junto a una imagen; envía el texto en un mensaje aparte.
error-unsupported-media-type = Envía una imagen JPEG o PNG, un PDF, un archivo de texto o un documento de Office.

# Contactos.
error-invalid-note = Escribe una nota de hasta 10.000 caracteres.
error-merge-with-itself = Un contacto no se puede unir consigo mismo.
error-only-identity = Es la única forma de contactar con esta persona: conserva un teléfono o un email.
error-import-too-large = El archivo es demasiado grande para importarlo; divídelo.
error-not-utf8 = Guarda el archivo como CSV en UTF-8.
error-not-csv = Este archivo no es un CSV válido.
error-empty-import = El archivo no tiene filas.
error-missing-columns = La primera línea debe nombrar las columnas: name, phone, email, labels, notes.
error-import-has-errors = Algunas filas tienen errores; corrígelas y vuelve a importar. No se ha importado nada.

# Canales.
error-channel-exists = Esta cuenta ya está conectada como canal en este servidor.
error-invalid-kind = Usa whatsapp, instagram, telegram o webchat.
error-invalid-id = Usa el identificador numérico que muestra Meta.
error-invalid-bot-token = Un token de bot tiene este aspecto: 123456789:AA… (te lo da @BotFather).
error-invalid-origin = Usa un origen como https://example.com.
error-immutable = Esto no se puede cambiar; conecta un canal nuevo.
error-not-applicable = Esto no se aplica a este tipo de canal.
error-unknown-channel = Ese canal no existe.
error-provider-unreachable = No se ha podido conectar con el proveedor.
error-provider-rejected = El proveedor ha rechazado la solicitud.

# Asistente.
error-invalid-mode = Usa off, draft o auto.
error-invalid-provider = Usa local, openai, anthropic, o platform donde el servidor ofrece su propio modelo.
error-provider-incomplete = Un proveedor externo necesita una URL base y un modelo.
error-unknown-topic = Ese tema no existe.
error-invalid-knowledge = Parte de la información del asistente no es válida.
error-ai-off = El asistente está desactivado en el canal de esta conversación.
error-nothing-to-answer = El cliente no ha escrito nada que responder.
error-draft-decided = Este borrador ya se ha descartado o enviado.
error-provider-timeout = El modelo no ha respondido a tiempo.
error-provider-rate-limited = El proveedor del modelo está limitando las peticiones.
error-provider-auth-failed = El proveedor ha rechazado la clave de API.
error-provider-unavailable = El proveedor ha fallado.
error-provider-bad-answer = La respuesta del modelo no tenía el formato esperado.

# Webhooks.
error-unknown-event = Ese evento no existe.
error-too-many-webhooks = Este espacio de trabajo ya tiene el máximo de webhooks.

# Chat web y entregas entrantes.
error-origin-not-allowed = Este sitio no tiene permiso para usar este chat.
error-invalid-visitor-token = Empieza antes una conversación; este token no es válido.
error-invalid-contact = Escribe una dirección de email o un número de teléfono.
error-bad-signature = La firma de la entrega falta o no es correcta.
error-verification-failed = El token de verificación no coincide.
error-intake-unavailable = El servidor se está apagando; vuelve a intentarlo.

# Bookings.
error-answer-required = Responde a todas las preguntas obligatorias.
error-cancellation-too-late = Ya no se puede cancelar en línea; ponte en contacto con el negocio.
error-class-full = No quedan plazas suficientes en esta clase.
error-coupon-already-used = Este cliente ya ha usado este cupón.
error-coupon-expired = Este cupón ha caducado.
error-coupon-not-for-service = Este cupón es para otro servicio.
error-coupon-not-yet-valid = Este cupón aún no es válido.
error-coupon-unknown = No existe ese cupón.
error-coupon-used-up = Este cupón ya se ha agotado.
error-customer-required = Indica para quién es la reserva: un contacto o un cliente.
error-idempotency-race = Ya se está procesando la misma solicitud.
error-invalid-choice = Elige una de las opciones ofrecidas.
error-invalid-transition = Esta reserva no se puede cambiar así ahora.
error-not-reschedulable = Esta reserva no se puede mover.
error-not-started = Esta reserva aún no ha empezado.
error-outside-booking-window = Esa fecha está más allá del plazo abierto para reservar.
error-service-inactive = Este servicio no se puede reservar ahora.
error-slot-taken = Esta hora ya no está libre. Elige otra.
error-too-many-holds = Termina o libera primero las horas que tienes apartadas.
error-too-soon = Es demasiado pronto para reservar; elige una hora posterior.
error-unknown-contact = No existe ese contacto.
error-unknown-extra = Un extra no se ofrece con este servicio.
error-unknown-question = Una respuesta es de una pregunta que este servicio no hace.
error-unknown-resource = Ese recurso no ofrece este servicio.
error-unknown-service = No existe ese servicio.
error-choices-required = Una pregunta de opciones necesita de 2 a 20 opciones.
error-code-taken = Otro cupón ya tiene este código.
error-end-before-start = El final debe ser posterior al inicio.
error-invalid-amount = Usa un importe como 25 o 25,50.
error-invalid-currency = Usa un código ISO 4217, como EUR.
error-invalid-deposit = Indica la señal como importe o como porcentaje, mayor que 0 y como mucho el precio.
error-invalid-payment = Elige none, deposit o full.
error-invalid-percent = Un porcentaje es un número entero del 1 al 100.
error-invalid-unit = Elige slot, night o day.
error-not-a-member = Elige a un miembro de este espacio de trabajo.
error-resources-required = Elige quién o qué necesita el servicio.
error-range-too-long = Pide un intervalo de fechas más corto.
error-not-found-booking = No se ha encontrado la reserva.
error-not-found-blocked-time = No se ha encontrado el bloqueo.
error-not-found-coupon = No se ha encontrado el cupón.
error-not-found-day-s-own-schedule = No se ha encontrado el horario propio de ese día.
error-not-found-extra = No se ha encontrado el extra.
error-not-found-question = No se ha encontrado la pregunta.
error-not-found-resource = No se ha encontrado el recurso.
error-not-found-service = No se ha encontrado el servicio.
error-not-found-action = No se ha encontrado la acción.

# Bookings part 2: the public booking page and the manage link
error-not-found-booking-page = No se ha encontrado la página de reservas.
# Reservas: las páginas del equipo.
error-not-a-number = Escribe un número entero.
error-slot-required = Elige una de las horas libres.
error-unknown-thread = No hay ninguna conversación así con este cliente.
error-captcha-failed = Confirma que no eres un robot y vuelve a intentarlo.
error-captcha-unavailable = La comprobación de que no eres un robot no responde; inténtalo de nuevo en un minuto.
error-provider-refused = El proveedor de pagos lo ha rechazado.
error-payments-unavailable = No se puede contactar con el proveedor de pagos ahora mismo; inténtalo de nuevo en un momento.
error-invalid-secret-key = Esta no es una clave secreta de este proveedor (las de Stripe empiezan por sk_ o rk_).
error-unknown-payment-account = No existe esa cuenta de pagos.
error-invalid-signature = La firma no coincide.
error-payment-not-open = Este pago ya no se puede hacer; vuelve a reservar.
error-no-payment-account = Este negocio no acepta pagos en línea ahora.
error-amount-not-positive = El importe tiene que ser mayor que cero.
error-not-refundable = Solo se puede devolver un pago cobrado.
error-over-refund = Es más de lo que queda por devolver de este pago.
error-currency-mismatch = Los pagos se cobran en la moneda del espacio de trabajo.
error-unknown-booking = No existe esa reserva.
error-invalid-method = Elige efectivo, datáfono, Bizum, transferencia u otro.
error-not-an-amount = Escribe un importe como 12,50.
error-not-found-payment = No se ha encontrado el pago.
error-not-found-payment-provider = No se ha encontrado el proveedor de pagos.
error-not-found-payment-account = No se ha encontrado la cuenta de pagos.
error-platform-billing-off = La facturación de la plataforma no está configurada en este servidor.
error-workspace-restricted = Este espacio de trabajo está restringido hasta que se pague su plan; los mensajes entrantes siguen llegando.
error-insufficient-credit = El saldo del espacio de trabajo no cubre esto; recarga primero.
error-plan-limit-reached = El plan del espacio de trabajo no incluye más; elige un plan mayor.
error-invalid-price = Escribe un precio como 0,007 (hasta seis decimales).
error-invalid-adjustment = Escribe un importe distinto de cero, como 10,00.
error-reason-required = Di por qué, en 300 caracteres como mucho.
error-topup-out-of-range = Esta recarga es menor o mayor de lo permitido.
error-topup-limit = Un espacio de trabajo nuevo solo puede recargar unas pocas veces al día; inténtalo más tarde.
error-invalid-threshold = Escribe el saldo por debajo del cual recargar, como 5,00.
error-no-saved-card = Recarga una vez con tarjeta y guárdala para las recargas automáticas primero.
error-not-renewing = No se renueva, así que no hay nada que cancelar.
error-unknown-plan = No existe ese plan.
error-plan-not-sold = Este plan no se vende para ese periodo.
error-invalid-name = Pon al plan un nombre de 80 caracteres como mucho.
error-not-found-membership = No se ha encontrado el bono o la suscripción.
error-invalid-plan-kind = Usa bono o suscripción (pass o membership).

# Solicitudes de privacidad.
error-invalid-request-kind = Elige acceso, exportación, rectificación, borrado, limitación, oposición o retirada del consentimiento.
error-details-too-long = Escribe 2000 caracteres como mucho.
error-already-verified = Esta solicitud no espera un código.
error-no-code = No se envió ningún código para esta solicitud; el negocio comprobará tu identidad.
error-too-many-tries = Demasiados códigos erróneos; pide uno nuevo.
error-code-expired = El código ha caducado; pide uno nuevo.
error-wrong-code = Ese no es el código que enviamos.
error-too-many-codes = Ya se enviaron bastantes códigos para esta solicitud; el negocio comprobará tu identidad.
error-how-required = Di cómo comprobaste su identidad, en 300 caracteres como mucho.
error-contact-required = Indica el contacto al que se refiere la solicitud.
error-refusal-reason-required = Di por qué se deniega la solicitud.
error-sole-owner = Esta cuenta es la única propietaria de un espacio de trabajo: añade otro propietario o elimina antes el espacio.
error-request-closed = Esta solicitud ya está respondida.
error-not-verified = Solo se puede atender una solicitud verificada.
error-not-restricted = Solo se puede levantar una limitación ya atendida.
error-invalid-data-role = Elige responsable o encargado.
error-processing-restricted = Este cliente pidió limitar el tratamiento de sus datos: sin borradores de IA.
error-not-found-request = No se ha encontrado la solicitud.
error-not-found-export = No se ha encontrado la exportación.

error-not-their-thread = Esa conversación no es de este contacto.
error-conversation-closed = Ahora no se puede enviar el código en esa conversación; comprueba la identidad de otra forma.
error-invalid-account-request-kind = Elige acceso, exportación, rectificación, supresión, limitación, oposición o retirada del consentimiento.
# Cloud phones.
error-device-busy = El dispositivo ya está cambiando de estado; espera a que termine.
error-device-changed = El dispositivo cambió mientras lo pedías; vuelve a mirarlo e inténtalo de nuevo.
error-device-leased = Otra persona está usando este dispositivo; pregúntale primero.
error-device-not-running = El dispositivo no está encendido.
error-device-not-startable = Un dispositivo solo se enciende si está apagado o con fallo.
error-device-not-stopped = Un dispositivo solo se restablece si está apagado.
error-device-running = El dispositivo ya está encendido.
error-device-running-stop-first = Apaga primero el dispositivo.
error-invalid-daily-cap = El tope diario es de 1 a 1.440 minutos.
error-invalid-idle-stop = El apagado por inactividad es de 1 a 1.440 minutos.
error-invalid-minutes = El control dura de 1 a 120 minutos.
error-invalid-notes = Las notas tienen como máximo 2.000 caracteres.
error-invalid-tags = Usa como mucho 20 etiquetas de hasta 30 caracteres.
error-no-device-free = Todos los dispositivos de este perfil están en uso; pide más al operador.
error-not-found-device = No se encontró el dispositivo.
error-not-supported = Los dispositivos de este proveedor no se pueden restablecer desde aquí.
error-people-only = Solo una persona con sesión iniciada puede usar un dispositivo.
error-unknown-profile = Elige uno de los perfiles de dispositivo que se ofrecen.
error-not-a-pool = Solo los servidores ADB tienen un grupo que sincronizar.
error-not-found-provider = No se encontró el proveedor.
error-provider-exists = Ya hay un proveedor con este nombre.
error-unknown-action = Elige uno de los botones.
error-invalid-device-name = Ponle al dispositivo un nombre de 1 a 80 caracteres.
error-invalid-provider-name = Ponle al proveedor un nombre de 1 a 60 caracteres.
error-invalid-profile-name = Ponle al perfil un nombre de 1 a 60 caracteres.
error-invalid-endpoint = Indica la dirección del proveedor: una URL http(s) para GeeLark, host:puerto para un servidor ADB.
error-credentials-required = GeeLark necesita su app id y su clave de API.
error-unknown-provider-kind = Un proveedor es `geelark` o `adb`.
error-unknown-provider = Elige uno de los proveedores.
error-invalid-android-version = Indica la versión de Android (Android 13).

## Facturas
error-not-found-invoice = No se ha encontrado la factura.
error-not-found-invoice-profile = No se ha encontrado el perfil de facturación.
error-legal-name-required = Escribe la razón social del negocio.
error-tax-id-required = Escribe el NIF del negocio.
error-invalid-series = Una serie tiene hasta 10 letras y cifras, y empieza por una letra.
error-same-series = Las rectificativas necesitan su propia serie.
error-invalid-tax-rate = Un tipo de IVA es un porcentaje de 0 a 100.
error-tax-rates-required = Indica de uno a ocho tipos de IVA, el habitual primero.
error-lines-required = Indica de 1 a 200 líneas.
error-line-description-required = Cada línea necesita un concepto.
error-invalid-quantity = Una cantidad es un número con hasta 3 decimales.
error-negative-quantity = Las cantidades de una factura son positivas; para corregirla, haz una rectificativa.
error-invalid-unit-price = Un precio unitario es un importe como 25,00.
error-invalid-discount = Un descuento es un porcentaje de 0 a 100.
error-unknown-tax-rate = Usa uno de los tipos de IVA del perfil de facturación.
error-no-invoice-profile = Configura antes el perfil de facturación (razón social, NIF, tipos de IVA).
error-invoice-issued = Una factura emitida no puede cambiar; corrígela con una rectificativa.
error-issue-date-in-future = Una factura no puede llevar una fecha futura.
error-date-before-last = La última factura de esta serie tiene una fecha posterior; una factura no puede fecharse antes.
error-invoice-not-issued = Emite la factura antes de enviarla.
error-no-buyer-email = Esta factura no tiene un email al que enviarla.
error-credit-exceeds-invoice = Una rectificativa no puede abonar más de lo que queda en su factura.
error-not-creditable = Solo una factura emitida se puede corregir con una rectificativa.
error-partly-credited = Esta factura ya está rectificada en parte; indica qué líneas abonar.
error-invoice-not-payable = No queda nada por pagar en esta factura.
error-nothing-to-export = No se emitió ninguna factura en ese periodo.
error-invalid-period = El periodo termina antes de empezar.
error-export-not-ready = La exportación todavía se está preparando.
error-email-unchanged = Esa ya es tu dirección.
error-google-not-configured = Entrar con Google no está configurado en este servidor.
error-google-unavailable = Google no responde; inténtalo de nuevo en un minuto.
error-google-linked-elsewhere = Esta cuenta de Google ya entra en otra cuenta.
error-oidc-state-invalid = Este inicio de sesión ha caducado o ya se usó; empieza de nuevo.
error-oidc-denied = Google no te ha dejado entrar.
error-oidc-email-unverified = La dirección de correo de esta cuenta de Google no está verificada; verifícala en Google o entra de otra forma.
error-oidc-bad-discovery = El documento de descubrimiento del proveedor de identidad no es válido.
error-oidc-bad-jwks = Las claves de firma del proveedor de identidad no son válidas.
error-oidc-token-refused = El proveedor de identidad ha rechazado el inicio de sesión.
error-oidc-malformed = La respuesta del proveedor de identidad está mal formada.
error-oidc-unsupported-alg = El token de identidad usa un algoritmo de firma no admitido.
error-oidc-unknown-key = El token de identidad está firmado con una clave desconocida.
error-oidc-bad-signature = La firma del token de identidad no es válida.
error-oidc-wrong-issuer = El token de identidad viene de un emisor inesperado.
error-oidc-wrong-audience = El token de identidad se emitió para otra aplicación.
error-oidc-expired = El token de identidad ha caducado.
error-oidc-not-yet-valid = El token de identidad aún no es válido.
error-oidc-wrong-nonce = El token de identidad no pertenece a este intento de inicio de sesión.
error-oidc-no-email = El proveedor de identidad no ha compartido una dirección de correo.
error-not-found-calendar-feed = No se ha encontrado el calendario.
error-google-no-refresh-token = Google no ha dado un acceso duradero; quita Frontdesk de las conexiones de tu cuenta de Google y conéctalo de nuevo.
error-not-found-calendar-connection = No se ha encontrado la conexión del calendario.
