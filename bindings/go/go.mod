module example.invalid/eiam/bindings/go

go 1.23

require go.uber.org/goleak v1.3.0
