# customer
