;; sum(array[from .. from + len]) read in place from a shared memory: the
;; parent's array as every process maps it, like a `multiprocessing`
;; `shared_memory` buffer.
;;
;; Why a separate module: a process worker's own wasm memory is not shared
;; (see Cargo.toml), and wasm code reads only its own linear memory. So this
;; one imports the page's shared `WebAssembly.Memory` and nothing else. It
;; has no stack, no data and no globals, so it writes nothing into the
;; memory it maps.
;;
;; The same loop as `engine::analysis::moving_data::sum`: four elements a step (each u32
;; widened to u64) into two running totals, then the last 0–3 one by one.
;; build.rs compiles this text with the `wat` crate.
(module
  ;; At most 4 GiB (65,536 pages); the page's memory is exactly the array.
  (memory (import "lab" "array") 1 65536 shared)
  ;; `from` is a byte offset, `len` an element count.
  (func (export "sum") (param $from i32) (param $len i32) (result i64)
    (local $a i64)
    (local $b i64)
    (local $quads_end i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $from) (i32.shl (local.get $len) (i32.const 2))))
    (local.set $quads_end
      (i32.add (local.get $from) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 2))))
    (block $quads_done
      (loop $quad
        (br_if $quads_done (i32.ge_u (local.get $from) (local.get $quads_end)))
        (local.set $a (i64.add (local.get $a)
          (i64.add (i64.load32_u (local.get $from)) (i64.load32_u offset=4 (local.get $from)))))
        (local.set $b (i64.add (local.get $b)
          (i64.add (i64.load32_u offset=8 (local.get $from)) (i64.load32_u offset=12 (local.get $from)))))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $quad)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $a (i64.add (local.get $a) (i64.load32_u (local.get $from))))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (br $one)))
    (i64.add (local.get $a) (local.get $b))))
