//! A small deterministic generator for the example-data and benchmark generators (xorshift64*):
//! the same seed gives the same files on every machine.

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    #[allow(dead_code)]
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    #[allow(dead_code)]
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    #[allow(dead_code)]
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}
