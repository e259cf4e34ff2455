# El armazón de la aplicación.
nav-home = Inicio
nav-inbox = Bandeja de entrada
nav-contacts = Contactos
nav-settings = Ajustes
nav-profile = Perfil del negocio
nav-channels = Canales
nav-hours = Horario
nav-assistant = Asistente
nav-saved-replies = Respuestas guardadas
nav-webhooks = Webhooks
nav-members = Miembros
nav-audit = Registro de actividad
nav-account = Cuenta
nav-sign-out = Cerrar sesión
nav-help = Ayuda
nav-operator = Operador
nav-menu = Menú
nav-workspaces = Espacios de trabajo
nav-all-workspaces = Todos los espacios…
nav-switch = cambiar de espacio
skip-to-content = Saltar al contenido
toast-saved = Guardado.
confirm-cancel = Cancelar
confirm-ok = Confirmar

# Inicio.
home-hello = Hola, { $name }. Este es tu día en { $workspace }.
home-open = { $count ->
    [one] conversación abierta
   *[other] conversaciones abiertas
}
home-unassigned = sin asignar
home-mine = asignadas a ti
home-waiting = Esperan desde hace más tiempo
home-nobody-waiting = Nadie está esperando.
home-setup-done = { $done } de { $total } hechos

# Recuentos.
contacts-count = { $count ->
    [0] Ningún contacto
    [one] 1 contacto
   *[other] { $count } contactos
}

# Bandeja de entrada.
inbox-title = Bandeja de entrada
inbox-unread = { $count ->
    [0] Nada sin leer
   *[other] { $count } sin leer
}
inbox-status-open = Abiertas
inbox-status-pending = Pendientes
inbox-status-snoozed = Pospuestas
inbox-status-resolved = Resueltas
inbox-status-all = Todas
inbox-anyone = Cualquiera
inbox-mine = Mías
inbox-unassigned = Sin asignar
inbox-all-channels = Todos los canales
inbox-label = Etiqueta
inbox-search = Buscar (/)
inbox-filter = Filtrar
inbox-empty = No hay conversaciones aquí.
inbox-empty-hint = Cuando un cliente escriba, la conversación aparecerá aquí al momento.
inbox-pick = Elige una conversación
inbox-pick-hint = Usa j y k para moverte por la lista y r para responder.
inbox-back = Volver
inbox-send = Enviar
inbox-attach = Adjuntar un archivo
inbox-reply-to = Responder a { $name } (Ctrl+Intro envía, / inserta una respuesta guardada)
inbox-sender-assistant = Asistente
inbox-sender-away = Respuesta de ausencia
inbox-sender-api = Enviado por la API

# Contactos.
contacts-search = Nombre, teléfono, email o usuario
contacts-export = Exportar CSV
contacts-import = Importar CSV
contacts-merge = Unir a este contacto
contacts-possible = Posiblemente la misma persona
contacts-never = nunca

# Perfil del negocio.
profile-title = Perfil del negocio
profile-name = Nombre del negocio
profile-slug = Nombre corto en los enlaces
profile-time-zone = Zona horaria
profile-country = País
profile-currency = Moneda
profile-address = Dirección
profile-phone = Teléfono
profile-email = Email
profile-website = Web
profile-languages = Idiomas en los que respondes
profile-brand = Color de marca
profile-save = Guardar perfil

# El armazón de la aplicación (más).
nav-main = Principal
shell-web-chat = Chat web
shell-upload-too-large = El archivo es demasiado grande.
shell-upload-unusable = No se ha podido usar ese archivo: elige una imagen PNG, JPEG o WebP.

# Inicio (más).
home-setup-skipped = Configuración: { $done } de { $total } hechos.
home-setup-resume = Retomar la lista
home-get-started = Primeros pasos
home-setup-skip = Saltar por ahora
home-setup-progress = Progreso de la configuración
home-step-done = (hecho)
home-step-profile = Completa el perfil del negocio y el horario de apertura
home-step-profile-hint = Tu dirección, teléfono, zona horaria y cuándo abres: el asistente responde con estos datos.
home-step-channel = Conecta tu primer canal
home-step-channel-hint = Un chat web para tu sitio se configura en un minuto; también WhatsApp, Instagram y Telegram.
home-step-invite = Invita a un compañero
home-step-invite-hint = Responde en equipo: asigna conversaciones y deja notas privadas.
home-step-saved = Guarda una respuesta que escribas a menudo
home-step-saved-hint = Escribe / en una respuesta para insertarla.
home-nobody-waiting-hint = Los mensajes nuevos de los clientes aparecen aquí y en la bandeja de entrada.
home-wrote-just-now = ha escrito ahora mismo
home-waiting-for = esperando desde { $time }

# Ayuda.
help-intro = Escríbenos aquí: la conversación sigue abierta mientras usas Frontdesk y te respondemos en esta ventana.
help-signed-in = Has iniciado sesión como { $name } ({ $email }).
help-none = Este servidor no tiene un servicio de ayuda configurado.
help-none-hint = Pregunta a la persona que gestiona este Frontdesk.
