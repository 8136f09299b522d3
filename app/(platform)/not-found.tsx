import { NotFoundCard } from "@/app/_components/not-found-card";

/** A platform page that called notFound(): the card inside the shell, which the layout already drew. */
export default function PlatformNotFound() {
  return (
    <div className="py-8">
      <NotFoundCard />
    </div>
  );
}
