# Cobros: pagos, devoluciones, la cuenta de pagos, las páginas de pago del cliente y sus correos.

## Para qué es un pago
pay-kind-deposit = señal
pay-kind-full = pago
pay-kind-request = pago
pay-kind = { $kind ->
    [deposit] Señal
    [full] Pago
    [request] Pago solicitado
    [manual] En el local
    [invoice] Factura
   *[other] { $kind }
}
pay-method-name = { $method ->
    [card] Tarjeta
    [cash] Efectivo
    [card_terminal] Datáfono
    [bizum] Bizum
    [transfer] Transferencia
   *[other] Otro
}
pay-status = { $status ->
    [open] Pendiente de pago
    [paid] Pagado
    [expired] Sin pagar (caducado)
    [failed] Fallido
    [refunded] Devuelto
   *[other] { $status }
}
pay-refund-status = { $status ->
    [pending] En devolución
    [succeeded] Devuelto
    [failed] Fallida
   *[other] { $status }
}
pay-dispute = { $status ->
    [won] Disputa ganada
    [lost] Disputa perdida
   *[other] En disputa ({ $status })
}
pay-flag = { $flag ->
    [duplicate] Pagado dos veces: devuelto
    [late] Pagado cuando la hora ya no estaba libre: devuelto
    [ended] Pagado después de terminar la reserva: devuelto
   *[other] { $flag }
}

## Las páginas de pago del cliente
pay-title = Paga para reservar
pay-held-until = Te guardamos esta hora hasta las { $until }.
pay-button = Pagar { $amount } con tarjeta
pay-provider-note = Pagas en la página segura de Stripe; los datos de tu tarjeta nunca nos llegan.
pay-closed = Este pago ya no está abierto y la hora ya no está reservada para ti.
pay-book-again = Reservar de nuevo
pay-pending = Estamos confirmando tu pago con el banco. Esta página se actualiza sola.
pay-check-again = Comprobar de nuevo
pay-receipt-title = Recibo
pay-receipt-paid = Gracias: hemos recibido tu pago.
pay-paid-at = Pagado el
pay-method = Forma de pago
pay-reference = Referencia
pay-refund = Devuelto
pay-flag-note = Te estamos devolviendo este pago completo.

## Correos
pay-account-mail-subject = { $workspace }: se ha cambiado la cuenta de { $provider }
pay-account-mail-body = Hola:

    La cuenta de { $provider } que cobra los pagos de { $workspace } se ha { $what ->
        [connected] conectado
        [disconnected] desconectado
       *[other] cambiado (una clave secreta nueva)
    } por { $who }.

    Si no has sido tú ni alguien de confianza, entra ahora y revísalo:
    { $link }
pay-late-mail-subject = { $business }: te devolvemos tu pago
pay-late-mail-body = Hola:

    Tu pago de { $amount } por { $service } el { $when } nos llegó cuando ya había pasado el tiempo que te guardábamos la hora, y mientras tanto otra persona la ha reservado.

    Te devolvemos los { $amount } completos a tu tarjeta; suele verse en 5 a 10 días. Lo sentimos. Puedes elegir otra hora aquí:
    { $link }

    { $business }

## Las páginas del equipo
pay-nav = Pagos
pay-settings-nav = Cuenta de pagos
pay-not-connected = No hay ninguna cuenta de pagos conectada: los servicios que piden señal se reservan sin ella.
pay-connect-link = Conectar Stripe
pay-filter = Mostrar
pay-all = Todos
pay-none = Todavía no hay pagos.
pay-when = Fecha
pay-amount = Importe
pay-status-label = Estado
pay-kind-label = Tipo
pay-refunded-amount = { $amount } devuelto
pay-booking = Reserva
pay-open-booking = Abrir la reserva
pay-manual-title = Registrar un pago
pay-manual-intro = Dinero cobrado en el local: efectivo, datáfono, Bizum o transferencia.
pay-note = Nota
pay-manual-record = Registrar el pago
pay-one-title = Pago de { $amount }
pay-card = Tarjeta
pay-dispute-label = Disputa
pay-flag-label = Atención
pay-provider-ref = Referencia del proveedor
pay-link = Enlace de pago
pay-refunds = Devoluciones
pay-reason = Motivo
pay-refund-title = Devolver
pay-refund-ask = ¿Devolver este importe al cliente?
pay-refund-button = Devolver
pay-events = Eventos del proveedor
pay-no-events = Todavía no hay eventos del proveedor.
pay-event = Evento
pay-outcome = Resultado
pay-settings-title = Cuenta de pagos
pay-settings-intro = Tus clientes pagan señales y reservas con tu propia cuenta de Stripe. Frontdesk crea él mismo el webhook en tu cuenta de Stripe; los datos de las tarjetas nunca llegan a Frontdesk.
pay-settings-key = Clave secreta
pay-live = real
pay-test = modo de prueba
pay-settings-webhook = Webhook
pay-settings-since = Conectada
pay-settings-none = No hay ninguna cuenta de Stripe conectada.
pay-settings-secret = Clave secreta de Stripe
pay-settings-secret-hint = En el panel de Stripe: Desarrolladores → Claves de API. Una clave restringida necesita Checkout Sessions, Refunds y Webhook Endpoints.
pay-settings-connect = Conectar Stripe
pay-settings-replace = Cambiar la clave
pay-settings-disconnect = Desconectar
pay-settings-disconnect-ask = ¿Desconectar Stripe? Los servicios que piden señal se reservarán sin ella.
book-pay-deposit = Para reservar se paga con tarjeta una señal de { $amount }.
book-pay-full = Para reservar se paga con tarjeta el precio completo, { $amount }.

## El plan y el saldo del espacio de trabajo (facturación de la plataforma)
plan-title = Plan y saldo
plan-off = En este servidor no se usan planes ni saldo prepago.
plan-restricted = Este espacio de trabajo está restringido hasta que se pague su plan: las respuestas, las reservas nuevas y la IA de pago están paradas; los mensajes entrantes siguen llegando y no se borra nada.
plan-plan = Plan
plan-none = Sin plan
plan-status = Estado
plan-state = { $status ->
    [none] Sin suscripción
    [trialing] Prueba
    [active] Activo
    [past_due] Pago pendiente
    [restricted] Restringido
    [canceled] Cancelado
   *[other] { $status }
}
plan-balance = Saldo
plan-usage = Uso en este periodo
plan-meter = Qué
plan-used = Usado
plan-included = Incluido
plan-paid = Pagado con saldo
plan-meter-name = { $meter ->
    [message] Mensajes
    [ai_call] Llamadas de IA
    [device_minute] Minutos de dispositivo
   *[other] { $meter }
}
plan-topup = Recargar
plan-topup-button = Recargar con tarjeta
plan-topup-ready = Tu recarga está lista para pagar en la página segura de Stripe.
plan-topup-continue = Ir al pago
plan-keep-card = Guardar esta tarjeta para recargas automáticas
plan-auto = Recargas automáticas
plan-auto-card = Tarjeta guardada: { $card }.
plan-auto-no-card = Recarga una vez con tarjeta y marca «Guardar esta tarjeta» para recargar automáticamente.
plan-auto-on = Recargar automáticamente
plan-auto-below = Cuando el saldo baje de
plan-auto-amount = Recargar
plan-auto-save = Guardar
plan-auto-failed = La última recarga automática falló ({ $reason }); las recargas automáticas están desactivadas hasta que las vuelvas a activar.
plan-auto-failed-subject = { $workspace }: ha fallado una recarga automática
plan-auto-failed-body = Hola:

    No hemos podido cobrar { $amount } en la tarjeta guardada para las recargas automáticas de { $workspace } ({ $reason }). Las recargas automáticas se han desactivado; nada más ha cambiado.

    Recarga a mano o guarda otra tarjeta aquí: { $link }
plan-wallet = Movimientos del saldo
plan-no-entries = Nada todavía.
plan-entry = Movimiento
plan-entry-kind = { $kind ->
    [topup] Recarga
    [debit] Uso
    [reserve] Reservado
    [settle] Liquidado
    [release] Liberado
    [refund] Devolución
    [adjust] Ajuste
   *[other] { $kind }
}
plan-receipt-subject = { $workspace }: el recibo de tu recarga
plan-receipt-body = Hola:

    Hemos recibido { $amount } para el saldo de { $workspace }. El saldo es ahora { $balance }.

    Referencia: { $reference }
    Movimientos del saldo: { $link }
plan-low-subject = { $workspace }: te queda poco saldo
plan-low-body = Hola:

    El saldo de { $workspace } ha bajado a { $balance }. Cuando se acabe, los mensajes por encima de la cuota de tu plan dejarán de enviarse.

    Recarga aquí: { $link }
plan-admin-title = Planes y saldo
plan-admin-plans = Planes
plan-admin-no-plans = Todavía no hay planes.
plan-admin-price = Precio mensual
plan-admin-limits = Límites
plan-admin-seats = Puestos
plan-admin-channels = Canales
plan-admin-stripe-price = Id del precio en Stripe (mensual)
plan-admin-messages = Mensajes incluidos al mes
plan-admin-message-price = Precio de cada mensaje de más
plan-admin-ai-calls = Llamadas de IA incluidas al mes
plan-admin-ai-call-price = Precio de cada llamada de IA de más
plan-admin-ai-input-price = De más, precio de un millón de tokens de entrada
plan-admin-ai-output-price = De más, precio de un millón de tokens de salida
plan-admin-per-million = por millón de tokens (entrada/salida)
plan-admin-device-minutes = Minutos de dispositivo incluidos al mes
plan-admin-device-minute-price = Precio de cada minuto de dispositivo de más
plan-admin-add = Añadir el plan
plan-admin-workspaces = Espacios de trabajo
plan-admin-credit = Abonar

## Bonos y suscripciones (la página del cliente)
member-title = Tu bono o suscripción
member-kind = { $kind ->
    [pass] Bono
   *[other] Suscripción
}
member-status = { $status ->
    [active] Activo
    [used_up] Agotado
    [lapsed] Caducado
    [cancelled] Cancelado
   *[other] { $status }
}
member-sessions = Sesiones que quedan
member-until = Válido hasta
member-renews = Se renueva el
member-cancel = Dejar de renovar
member-shop-monthly = se renueva cada mes
member-subscribe-ready = Tu suscripción está lista para pagar en la página segura de Stripe; se renueva cada mes hasta que la detengas.
member-book = Reservar una visita
plan-chart-label = { $count ->
    [one] 1 mensaje en los últimos 30 días
   *[other] { $count } mensajes en los últimos 30 días
}
member-shop-title = Bonos y suscripciones
member-shop-none = Ahora mismo no hay nada a la venta en línea.
member-shop-sessions = { $count ->
    [one] 1 sesión
   *[other] { $count } sesiones
}
member-shop-discount = { $percent } % de descuento
member-shop-days = válido { $days } días
member-shop-buy = Comprar y pagar con tarjeta
member-mail-subject = { $business }: tu { $plan }
member-mail-body = Hola:

    Gracias: tu { $plan } en { $business } ya está listo. Mira lo que te queda y hasta cuándo aquí:
    { $link }

    { $business }
pay-request-subject = { $business }: un pago de tu reserva
pay-request-body = Hola:

    { $business } te pide pagar { $amount } por { $service }. Pagas en la página segura de Stripe:
    { $link }

    { $business }
