# Bookings: the public booking page, the manage link and the customer's emails.

## The booking page
book-skip = Ir a la reserva
book-steps = Pasos de la reserva
book-step-service = Servicio
book-step-extras = Extras
book-step-time = Hora
book-step-details = Tus datos
book-step-confirm = Confirmación
book-title = Reserva en { $business }
book-choose-service = Elige un servicio
book-no-services = Ahora mismo no hay nada que reservar en línea.
book-minutes = { $count } min
book-extras-title = ¿Algo más?
book-extras-legend = Extras que puedes añadir
book-continue = Continuar
book-other-service = Elegir otro servicio
book-time-title = Elige una hora
book-zone = Las horas se muestran en esta zona horaria
book-zone-show = Ver horas
book-no-times = No quedan horas libres esta semana.
book-weeks = Otras semanas
book-earlier = Antes
book-later = Después
book-optional = (opcional)
book-choose = Elige…
book-details-title = Tus datos
book-other-time = Elegir otra hora
book-name = Tu nombre
book-email = Tu correo electrónico
book-phone = Tu teléfono
book-questions = Unas preguntas
book-coupon = Código de cupón
book-hp = Deja este campo vacío
book-review = Revisar la reserva
book-review-title = Revisa y confirma
book-when = Cuándo
book-yes = Sí
book-price = Precio
book-discount = Descuento
book-total = Total
book-needs-confirmation = El negocio confirma esta reserva por su cuenta; te llegará un correo cuando lo haga.
book-confirm = Confirmar la reserva
book-edit = Cambiar los datos
book-booked-title = Gracias
book-booked-received = Hemos recibido tu solicitud de reserva.

## The manage page
book-manage-title = Tu reserva
book-booked = Tu reserva está confirmada.
book-booked-pending = Tu solicitud está hecha: el negocio la confirmará pronto.
book-booked-mailed = Te hemos enviado los detalles a { $email }.
book-keep-link = Guarda este enlace para ver, cambiar o anular tu reserva:
book-moved = Tu reserva ha pasado a la nueva hora.
book-status = Estado
book-status-confirmed = Confirmada
book-status-pending = Pendiente de que el negocio la confirme
book-status-hold = Reservada para ti
book-status-cancelled = Anulada
book-status-declined = No aceptada
book-status-completed = Realizada
book-status-no-show = No acudiste
book-status-expired = Caducada
book-add-calendar = Añadir a mi calendario (.ics)
book-move-title = Cambiar a otra hora
book-move-hint = Horas en { $zone }.
book-cancel-title = Anular la reserva
book-cancel-until = Puedes anularla en línea hasta el { $time }.
book-cancel-ask = ¿Anular esta reserva? La hora quedará libre para otra persona.
book-cancel = Anular la reserva
book-again = Hacer otra reserva
book-cancelled-title = Reserva anulada
book-cancelled = Tu reserva está anulada. Te hemos enviado un correo.

## The customer's emails
book-mail-from = { $business } vía { $product }
book-mail-hello = Hola:
book-mail-hello-name = Hola, { $name }:
book-mail-total = Total: { $total }
book-mail-manage = Ver, cambiar o anular tu reserva: { $link }
book-mail-questions = ¿Alguna pregunta? Llama a { $business } al { $phone } o responde a este correo.
book-mail-confirmed-subject = Reserva confirmada: { $service } en { $business }
book-mail-confirmed-intro = Tu reserva en { $business } está confirmada.
book-mail-requested-subject = Solicitud de reserva: { $service } en { $business }
book-mail-requested-intro = { $business } ha recibido tu solicitud de reserva y la confirmará pronto.
book-mail-rescheduled-subject = Reserva cambiada: { $service } en { $business }
book-mail-rescheduled-intro = Tu reserva en { $business } ha pasado a una nueva hora.
book-mail-cancelled-subject = Reserva anulada: { $service } en { $business }
book-mail-cancelled-intro = Tu reserva en { $business } está anulada.
book-mail-declined-subject = Reserva no aceptada: { $service } en { $business }
book-mail-declined-intro = { $business } no ha podido aceptar tu solicitud de reserva.
book-ics-description = Reservado en { $business }.
book-ics-description-for = { $name }, reservado en { $business }.

# The reminder the day before (email only).
book-mail-reminder-subject = Recordatorio: { $service } en { $business }
book-mail-reminder-intro = Te recordamos tu reserva en { $business }:
# La confirmación enviada en la conversación desde la que se hizo la reserva.
book-notice-confirmed = Reserva hecha en { $business }: { $service }, { $when }. Verla, cambiarla o anularla: { $link }
