# Reservas: las páginas del equipo (calendario, ajustes del catálogo).

# La barra lateral.
bookings-nav = Reservas
bookings-nav-services = Servicios
bookings-nav-resources = Recursos
bookings-nav-coupons = Cupones

# Palabras comunes de las páginas.
bookings-status = { $status ->
    [hold] Retenida
    [pending] Pendiente de confirmar
    [confirmed] Confirmada
    [completed] Completada
    [cancelled] Cancelada
    [no_show] No se presentó
    [declined] Rechazada
    [expired] Caducada
   *[other] { $status }
}
bookings-date = { $weekday }, { $day } { $month } { $year }
bookings-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
bookings-no-customer = Sin nombre de cliente
bookings-service = Servicio
bookings-resource = Recurso
bookings-with = Con
bookings-customer = Cliente
bookings-date-label = Fecha
bookings-notes = Notas
bookings-price = Precio
bookings-about = Datos
bookings-actions = Acciones
bookings-remove = Quitar
bookings-required = obligatoria
bookings-sensitive = Confidencial
bookings-yes = Sí
bookings-arrived = Ha llegado
bookings-back = ← Calendario
bookings-show-times = Ver horas libres
bookings-inactive = no se puede reservar
bookings-hidden = no sale en la página pública
bookings-all-resources = Todos los recursos
bookings-all-services = Todos los servicios
bookings-no-resources = Aún no hay recursos: añade el personal, las salas o el equipo que necesitan los servicios.
bookings-no-services = Aún no hay servicios.
bookings-add-resources = Añadir recursos
bookings-add-services = Añadir servicios
bookings-extras = Extras
bookings-questions = Preguntas

# El calendario.
bookings-title = Reservas
bookings-new = Nueva reserva
bookings-dates = Fechas
bookings-previous-day = Día anterior
bookings-next-day = Día siguiente
bookings-previous-week = Semana anterior
bookings-next-week = Semana siguiente
bookings-today = Hoy
bookings-view = Vista
bookings-day = Día
bookings-week = Semana
bookings-filters = Filtros del calendario
bookings-show = Mostrar
bookings-week-of = { $first } – { $last } { $year }
bookings-count = { $count ->
    [0] Ninguna reserva
    [one] 1 reserva
   *[other] { $count } reservas
}
bookings-gone = { $count ->
    [one] 1 reserva cancelada, rechazada o caducada
   *[other] { $count } reservas canceladas, rechazadas o caducadas
}
bookings-none-this-day = Ninguna reserva este día.
bookings-no-resources-hint = Los añade un propietario o un administrador en Recursos.
bookings-nothing-matches = Nada coincide con estos filtros.

# Inicio.
bookings-home-title = Reservas de hoy
bookings-home-calendar = Calendario
bookings-home-count = { $count ->
    [0] Hoy no hay reservas.
    [one] 1 reserva hoy.
   *[other] { $count } reservas hoy.
}

# El panel del contacto en la bandeja.
bookings-book-contact = Reservar

# Una reserva nueva.
bookings-new-title = Nueva reserva
bookings-pick = Servicio y fecha
bookings-choose-service = Elige un servicio
bookings-anyone = Cualquiera libre
bookings-free-times = Horas libres
bookings-no-free-times = No hay horas libres este día. Prueba otra fecha.
bookings-find-customer = Buscar un cliente
bookings-find-placeholder = Nombre, teléfono o email
bookings-search = Buscar
bookings-nobody-found = No se ha encontrado a nadie: reserva para un cliente nuevo aquí abajo.
bookings-new-customer = Un cliente nuevo
bookings-customer-name = Nombre del cliente
bookings-customer-phone = Teléfono del cliente
bookings-customer-email = Email del cliente
bookings-someone-else = Reservar para otra persona
bookings-book = Reservar

# Una reserva.
bookings-booking-title = { $service } para { $customer }
bookings-status-label = Estado
bookings-when = Cuándo
bookings-seats = Plazas
bookings-quantity = Duración
bookings-units = { $unit ->
    [night] { $count ->
        [one] 1 noche
       *[other] { $count } noches
    }
   *[other] { $count ->
        [one] 1 día
       *[other] { $count } días
    }
}
bookings-discount = { $price } menos { $discount }
bookings-reason = Motivo (opcional)
bookings-held-until = Retenida hasta
bookings-created = Reservada
bookings-answers = Respuestas
bookings-no-answers = El servicio no hace preguntas, o no se respondió ninguna.
bookings-sensitive-hint = Las respuestas confidenciales se quedan aquí: nunca se envían a un proveedor de IA, a un calendario, a un feed ni a un webhook.
bookings-do-confirm = Confirmar
bookings-do-decline = Rechazar
bookings-do-cancel = Cancelar la reserva
bookings-do-arrived = Marcar que ha llegado
bookings-do-complete = Marcar como completada
bookings-do-no-show = Marcar que no se presentó
bookings-decline-confirm = ¿Rechazar la reserva de { $customer }? La hora vuelve a quedar libre.
bookings-cancel-confirm = ¿Cancelar la reserva de { $customer }? La hora vuelve a quedar libre.
bookings-no-show-confirm = ¿Marcar que { $customer } no se presentó?
bookings-not-started-hint = La llegada, la finalización y la ausencia se marcan cuando la reserva ya ha empezado.
bookings-move = Cambiar a otra hora
bookings-move-date = Nueva fecha
bookings-do-move = Cambiar la reserva
bookings-move-confirm = ¿Cambiar la reserva de { $customer } a la hora elegida?
bookings-history = Historial
bookings-change = { $change ->
    [hold] retenida
    [pending] solicitada
    [confirmed] reservada
    [confirm] confirmada
    [decline] rechazada
    [declined] rechazada
    [cancel] cancelada
    [complete] completada
    [no_show] no se presentó
    [arrived] ha llegado
    [rescheduled] cambiada de hora
    [expired] caducada
    [reminded] recordatorio enviado por email
   *[other] { $change }
}
bookings-detail-timeout = sin respuesta a tiempo
bookings-actor-former = Un antiguo miembro
bookings-actor-token = Token de API
bookings-actor-system = Frontdesk
bookings-actor-customer = El cliente

# Recursos.
bookings-resources-title = Recursos
bookings-resources-intro = El personal, las salas, el equipo y las unidades de alquiler que necesitan los servicios, cada uno con su horario semanal en su propia zona horaria.
bookings-resources-list = Tus recursos
bookings-add-resource = Añadir recurso
bookings-save-resource = Guardar el recurso
bookings-all-resources-link = ← Todos los recursos
bookings-kind-label = Tipo
bookings-kind = { $kind ->
    [staff] Personal
    [room] Sala
    [equipment] Equipo
    [unit] Unidad de alquiler
   *[other] { $kind }
}
bookings-resource-name = Nombre
bookings-resource-member = Miembro del equipo
bookings-resource-no-member = No es un miembro
bookings-resource-zone = Zona horaria
bookings-resource-active = Se puede reservar
bookings-weekly-hours = Horario semanal
bookings-weekly-hours-hint = Deja vacío un día en que el recurso no trabaja.
bookings-no-hours = Aún sin horario
bookings-opens = Abre
bookings-closes = Cierra
bookings-opens-again = Vuelve a abrir
bookings-day-opens = { $day }: abre
bookings-day-closes = { $day }: cierra
bookings-day-opens-again = { $day }: vuelve a abrir
bookings-day-closes-again = { $day }: vuelve a cerrar
bookings-days-off = Días libres
bookings-days-off-hint = Una fecha por línea, como AAAA-MM-DD.
bookings-exceptions = Horario propio de una fecha
bookings-exceptions-hint = Otro horario en una fecha (abrir más tarde, un día corto) o el día entero libre.
bookings-exception-off-hint = Deja las horas vacías para librar el día.
bookings-set-exception = Guardar esta fecha
bookings-day-off = día libre
bookings-exception-remove-confirm = ¿Volver al horario semanal en esta fecha?
bookings-blocks = Horas bloqueadas
bookings-blocks-hint = Vacaciones, mantenimiento, una reunión: entonces nadie puede reservar el recurso. Horas en { $zone }.
bookings-block-from = Desde
bookings-block-until = Hasta
bookings-block-reason = Motivo (opcional)
bookings-add-block = Bloquear estas horas
bookings-block-remove-confirm = ¿Quitar estas horas bloqueadas?

# Servicios.
bookings-services-title = Servicios
bookings-services-intro = Lo que reservan los clientes: cuánto dura, cuánto cuesta, a quién o qué necesita.
bookings-services-list = Tus servicios
bookings-services-need-resources = Los servicios necesitan antes recursos.
bookings-add-service = Añadir servicio
bookings-save-service = Guardar el servicio
bookings-all-services-link = ← Todos los servicios
bookings-service-name = Nombre
bookings-service-description = Descripción
bookings-service-time = Tiempo
bookings-unit-label = Se reserva por
bookings-unit = { $unit ->
    [slot] cita
    [night] noche
    [day] día
   *[other] { $unit }
}
bookings-duration = Duración en minutos
bookings-duration-hint = Para las citas; las noches y los días usan la entrada y la salida.
bookings-interval = Minutos entre inicios posibles
bookings-interval-hint = 0: lo que dura el servicio.
bookings-buffer-before = Minutos libres antes
bookings-buffer-after = Minutos libres después
bookings-check-in = Entrada
bookings-check-out = Salida
bookings-check-hint = Para noches y días.
bookings-capacity = Plazas
bookings-capacity-hint = 1 para una cita; más para una clase.
bookings-service-rules = Normas
bookings-min-notice = Minutos de antelación necesarios
bookings-window = Días de antelación con que se puede reservar
bookings-window-hint = 60 si lo dejas vacío.
bookings-cancel-notice = Los clientes pueden cancelar hasta tantos minutos antes
bookings-requires-confirmation = Las solicitudes esperan la confirmación del negocio
bookings-service-active = Se puede reservar
bookings-service-hidden = No sale en la página pública de reservas
bookings-service-price = Precio y pago
bookings-price-hint = Un importe como 25 o 25,50; por noche o por día en las estancias.
bookings-currency = Moneda
bookings-business-currency = La moneda del negocio
bookings-payment-label = Pago al reservar
bookings-payment = { $payment ->
    [none] nada
    [deposit] una señal
    [full] el precio completo
   *[other] { $payment }
}
bookings-deposit = Señal como importe
bookings-deposit-hint = O como porcentaje aquí abajo: una de las dos.
bookings-deposit-percent = Señal como porcentaje del precio
bookings-service-resources = A quién o qué necesita
bookings-groups-hint = Se ocupa un recurso de cada grupo: por ejemplo, tus estilistas en un grupo y tus sillones en otro.
bookings-group = Grupo { $number }
bookings-extras-hint = Opciones que el cliente puede añadir, con más tiempo o un precio.
bookings-extra-name = Nombre
bookings-extra-minutes = Minutos que añade
bookings-extra-price = Precio que añade
bookings-add-extra = Añadir extra
bookings-extra-remove-confirm = ¿Dejar de ofrecer { $name }?
bookings-questions-hint = Se preguntan al reservar. Las respuestas confidenciales (de salud, por ejemplo) no llegan a proveedores de IA, calendarios, feeds ni webhooks.
bookings-question-label = Pregunta
bookings-question-kind-label = Respuesta
bookings-question-kind = { $kind ->
    [text] texto
    [choice] una de varias opciones
    [checkbox] una casilla
   *[other] { $kind }
}
bookings-question-choices = Opciones
bookings-question-choices-hint = Para una pregunta de opciones: una por línea.
bookings-question-required = Hace falta una respuesta
bookings-question-sensitive = Confidencial
bookings-add-question = Añadir pregunta
bookings-question-remove-confirm = ¿Quitar esta pregunta?

# Cupones.
bookings-coupons-title = Cupones
bookings-coupons-intro = Códigos que los clientes escriben al reservar para tener un descuento.
bookings-coupons-list = Tus cupones
bookings-no-coupons = Aún no hay cupones.
bookings-add-coupon = Añadir cupón
bookings-coupon-code = Código
bookings-coupon-code-hint = De 3 a 32 letras, cifras o guiones.
bookings-coupon-discount = Descuento
bookings-coupon-valid = Validez
bookings-coupon-uses = Usos
bookings-coupon-kind = Descuento como
bookings-coupon-percent = un porcentaje
bookings-coupon-amount = un importe
bookings-coupon-value = Descuento
bookings-coupon-value-hint = Un porcentaje (10) o un importe (5,00).
bookings-coupon-valid-from = Válido desde
bookings-coupon-valid-to = Válido hasta
bookings-coupon-max-uses = Usos como máximo
bookings-coupon-once-check = Una vez por cliente
bookings-coupon-service = Solo para
bookings-coupon-always = siempre
bookings-coupon-from = desde el { $date }
bookings-coupon-until = hasta el { $date }
bookings-coupon-once = una vez por cliente
bookings-coupon-off = desactivado
bookings-coupon-turn-off = Desactivar
bookings-coupon-turn-on = Activar
bookings-coupon-off-confirm = ¿Desactivar { $code }? Los clientes ya no podrán usarlo.
bookings-percent = { $value } %

## Ajustes de la página de reservas: su enlace, la inserción y los sitios que pueden mostrarla.
bookings-nav-page = Página de reservas
bookings-page-title = Página de reservas
bookings-page-intro = Tus clientes reservan aquí sin crear una cuenta. Comparte el enlace o muestra la página en tu propia web.
bookings-page-link = Tu página de reservas
bookings-page-no-slug = Primero da una dirección web a tu negocio, en
bookings-page-embed = Muéstrala en tu web
bookings-page-embed-hint = Pega este código en una página de tu sitio y añade el sitio abajo: los navegadores solo muestran la página de reservas en los sitios de la lista.
bookings-page-frame-title = Reserva en { $business }
bookings-page-sites = Sitios que pueden mostrarla
bookings-page-origins = Tus webs
bookings-page-origins-hint = Una por línea, como https://salon.example (sin ruta). Déjalo vacío si solo compartes el enlace.
bookings-save = Guardar

# Calendar feeds.
feeds-nav = Calendarios
feeds-title = Calendarios suscritos
feeds-intro = Suscríbete a las reservas en Google Calendar, Calendario de Apple u Outlook («añadir un calendario desde una URL»). Cada enlace es secreto: quien lo tenga ve las horas, los servicios y el nombre de pila de los clientes.
feeds-calendar = Calendario
feeds-url = Enlace de suscripción
feeds-url-of = Enlace de suscripción de { $name }
feeds-all = Todas las reservas
feeds-off = Desactivado
feeds-on = Activar
feeds-renew = Nuevo enlace
feeds-turn-off = Desactivar
feeds-off-confirm = ¿Desactivar este calendario? Los calendarios suscritos dejarán de actualizarse.
feeds-privacy = Un enlace nuevo anula el anterior al momento. Se muestran los últimos 30 días y el próximo año; las aplicaciones de calendario vuelven a mirar cada hora más o menos.

# Google Calendar, per resource.
gcal-title = Google Calendar
gcal-intro = Conecta el calendario de Google de este recurso: sus reservas aparecen allí, y sus citas privadas de allí bloquean sus huecos libres aquí (solo se guardan sus horas).
gcal-connect = Conectar Google Calendar
gcal-reconnect = Conectar de nuevo
gcal-connected = Conectado: las reservas van a Google Calendar y sus horas ocupadas bloquean huecos aquí.
gcal-error = La última sincronización falló; se vuelve a intentar cada 5 minutos.
gcal-revoked = Google ya no acepta esta conexión (se revocó o caducó). Conéctala de nuevo para reanudarla.
gcal-last-sync = Sincronizado { $when }
gcal-not-synced = Aún sin sincronizar
gcal-disconnect = Desconectar
gcal-disconnect-confirm = ¿Desconectar este calendario? Sus horas ocupadas dejarán de bloquear huecos; los eventos que ya están en Google se quedan allí.
gcal-revoked-subject = Google Calendar desconectado para { $resource }
gcal-revoked-body = Google ya no acepta la conexión del calendario de { $resource }: sus reservas ya no se envían a Google Calendar y sus citas privadas ya no bloquean huecos. Conéctalo de nuevo aquí:

    { $link }
