//! Ports: the small traits through which the platform (and lower areas) ask higher areas for
//! what only they know, without importing them. An area implements a port; the server registers
//! the implementation. Each trait is narrow, and a consumer takes only the ones it needs.
//! None is needed yet: the first ones come with the areas above the inbox (free slots for the
//! assistant, a person's data for export and erasure, a debit from the wallet).
