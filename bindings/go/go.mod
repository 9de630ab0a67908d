module example.invalid/eiam/bindings/go

go 1.23
