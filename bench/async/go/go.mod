module example.invalid/eiam/bench/async

go 1.23

require example.invalid/eiam/bindings/go v0.0.0

replace example.invalid/eiam/bindings/go => ../../../bindings/go
