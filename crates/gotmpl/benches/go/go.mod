module gotmplbench

go 1.25
