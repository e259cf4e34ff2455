# Facturas: el perfil, la lista y el editor, la página del cliente, el PDF y el correo.

invoice-nav = Facturas
invoice-settings-nav = Facturas
invoice-one = Factura
invoice-credit-note = Factura rectificativa
invoice-status = { $status ->
    [draft] Borrador
    [issued] Emitida
   *[other] { $status }
}
invoice-status-label = Estado
invoice-draft = Borrador
invoice-draft-title = Borrador de factura
invoice-number = Número
invoice-date = Fecha de emisión
invoice-buyer = Cliente
invoice-buyer-name = Nombre o razón social
invoice-buyer-tax-id = NIF
invoice-buyer-address = Dirección de facturación
invoice-buyer-email = Email (se le envía la factura)
invoice-lang = Idioma de la factura
invoice-lang-name = { $lang ->
    [es] Español
   *[other] Inglés
}
invoice-description = Concepto
invoice-quantity = Cantidad
invoice-unit-price = Precio unitario
invoice-discount = Descuento %
invoice-tax-rate = IVA
invoice-amount = Importe
invoice-base-at = Base imponible al { $rate } %
invoice-tax-at = IVA al { $rate } %
invoice-total = Total
invoice-notes = Notas
invoice-corrects = Rectifica
invoice-prices-include-tax = Los precios incluyen IVA. Cada línea se redondea al céntimo (la mitad, hacia arriba en valor absoluto); su base y su IVA salen de su importe.
invoice-no-profile = Configura tu perfil de facturación (razón social, NIF, tipos de IVA) antes de hacer facturas.
invoice-profile-link = Configurar el perfil de facturación
invoice-new = Nueva factura
invoice-none = Aún no hay facturas.
invoice-save-draft = Guardar el borrador
invoice-back = Volver a las facturas
invoice-issue-title = Emitir
invoice-issue-intro = Al emitirla, la factura recibe su número y su fecha. Una factura emitida ya no cambia: para corregirla, haz una factura rectificativa.
invoice-send-on-issue = Enviarla por email al cliente
invoice-issue-confirm = ¿Emitir esta factura? Después no se podrá cambiar.
invoice-issue = Emitir la factura
invoice-delete = Borrar el borrador
invoice-paid = Esta factura está pagada. Gracias.
invoice-paid-badge = Pagada
invoice-download-pdf = Descargar el PDF
invoice-public-link = La página del cliente
invoice-credit-notes = Facturas rectificativas
invoice-send = Enviarla de nuevo
invoice-credit-title = Rectificar
invoice-credit-intro = Una factura rectificativa, en su propia serie, anula la factura entera; el cliente la recibe por email.
invoice-credit-reason = Motivo
invoice-credit = Hacer la factura rectificativa
invoice-pay = Pagar { $amount }
invoice-export-title = Para la gestoría
invoice-export-intro = Todas las facturas y rectificativas emitidas en un periodo: un CSV con una fila por tipo de IVA, o un ZIP con sus PDF (se prepara en segundo plano; el archivo se guarda 7 días).
invoice-from = Desde
invoice-to = Hasta
invoice-export-zip = Preparar el ZIP de PDF
invoice-export-csv = Descargar el CSV
invoice-period = Periodo
invoice-progress = Progreso
invoice-progress-of = { $done } de { $total }
invoice-download-zip = Descargar el ZIP
invoice-export-status = { $status ->
    [queued] En espera
    [running] Preparando
    [failed] Ha fallado
   *[other] { $status }
}
invoice-settings-title = Perfil de facturación
invoice-settings-intro = Quién emite tus facturas. La dirección, el logo y la zona horaria de la fecha de emisión vienen de tu
invoice-business-profile = perfil del negocio.
invoice-legal-name = Razón social
invoice-tax-id = NIF
invoice-series = Serie de facturas
invoice-series-help = Letras antes del año; vacía da números como 2027-0001. La numeración vuelve a 0001 cada año.
invoice-credit-series = Serie de rectificativas
invoice-tax-rates = Tipos de IVA (%)
invoice-tax-rates-help = Separados por comas, el habitual primero (por ejemplo 21, 10, 4, 0).
invoice-auto-issue = Emitir una factura por cada pago a partir de ahora, y una rectificativa por sus devoluciones
invoice-footer = Pie (condiciones de pago, una mención legal)
invoice-save-profile = Guardar el perfil de facturación

## El PDF
invoice-pdf-title = Factura
invoice-pdf-credit-title = Factura rectificativa
invoice-pdf-draft = Borrador
invoice-pdf-tax-id = NIF: { $id }
invoice-pdf-number = Número: { $number }
invoice-pdf-date = Fecha: { $date }
invoice-pdf-corrects = Rectifica la factura { $number }
invoice-pdf-bill-to = Facturar a
invoice-pdf-description = Concepto
invoice-pdf-qty = Cant.
invoice-pdf-price = Precio unit.
invoice-pdf-discount = Dto.
invoice-pdf-rate = IVA
invoice-pdf-amount = Importe
invoice-pdf-base = Base al { $rate } %
invoice-pdf-tax = IVA al { $rate } %
invoice-pdf-total = Total
invoice-pdf-page = Página { $page } de { $pages }

## Facturas automáticas
invoice-auto-payment = Pago
invoice-auto-deposit = señal
invoice-auto-refund = Devolución de la factura { $number }

## El correo
invoice-mail-from = { $business } vía Frontdesk
invoice-mail-subject = { $kind ->
    [credit] Factura rectificativa { $number } de { $business }
   *[other] Factura { $number } de { $business }
}
invoice-mail-body = Hola:

    { $kind ->
        [credit] { $business } te envía la factura rectificativa { $number }, por { $total }.
       *[other] { $business } te envía la factura { $number }, por { $total }.
    } Adjuntamos el PDF. También puedes verla, descargarla y pagarla aquí:

    { $link }
