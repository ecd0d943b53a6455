//! The one way Bro declares a closed set of codes: each variant has a stable code (what the
//! database stores and forms send) and a Fluent key for its human name.

macro_rules! coded {
    ($(#[$m:meta])* $name:ident, $prefix:literal { $($variant:ident => $code:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// Fluent key of the human name.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, $code)),* }
            }
        }
    };
}

pub(crate) use coded;
