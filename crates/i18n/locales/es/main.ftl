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
